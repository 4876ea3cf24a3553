using WebApp.Domain.Sequences.Novelty;
using WebApp.Workers.Sequences.Novelty;
using static TorchSharp.torch;

namespace WebApp.Workers.Tests.Sequences.Novelty;

public class NextEventLstmTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Pure_csharp_inference_equals_the_torch_forward_pass(int layers)
    {
        random.manual_seed(11);
        using var model = new NextEventLstm(new NextEventVocabulary(7), embeddingSize: 5, hiddenSize: 12, layers);
        model.eval();
        var inference = new LstmInference(model.ExportWeights());
        var inputs = model.Vocabulary.Inputs([3, 0, 6, -1, 2, 2, 5, 1]);
        using var noGrad = no_grad();
        using var input = tensor(inputs.Select(t => (long)t).ToArray(), [1, inputs.Length]);
        using var output = model.forward(input);
        var expected = output.data<float>().ToArray();
        var actual = inference.LogProbabilities(inputs);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
    }

    [Fact]
    public void Weights_loaded_into_a_model_come_back_unchanged()
    {
        random.manual_seed(5);
        using var model = new NextEventLstm(new NextEventVocabulary(4), 3, 6, 2);
        var weights = model.ExportWeights();
        using var copy = NextEventLstm.FromWeights(NextEventWeights.FromBytes(weights.ToBytes()));
        Assert.Equal(weights.ToBytes(), copy.ExportWeights().ToBytes());
    }

    [Fact]
    public void Padding_is_masked_out_of_the_loss()
    {
        random.manual_seed(2);
        var vocabulary = new NextEventVocabulary(5);
        using var model = new NextEventLstm(vocabulary, 4, 8, 1);
        int[] shortOne = [1, 2];
        int[] longOne = [0, 4, 3, 3, 2, 1, 0];
        using var noGrad = no_grad();
        var together = Loss(model, vocabulary, [shortOne, longOne], [1, 1]);
        var alone = Loss(model, vocabulary, [shortOne], [1]);
        var longAlone = Loss(model, vocabulary, [longOne], [1]);
        // Mean over real predictions: (3 · short + 8 · long) / 11.
        Assert.Equal((3 * alone + 8 * longAlone) / 11, together, 1e-5);
        // A weight of 2 is the same as the sequence twice.
        Assert.Equal(Loss(model, vocabulary, [shortOne, shortOne, longOne], [1, 1, 1]), Loss(model, vocabulary, [shortOne, longOne], [2, 1]), 1e-5);
    }

    [Fact]
    public void Batch_scores_agree_with_online_scores_and_copies_share_them()
    {
        TorchSharp.torch.random.manual_seed(9);
        using var model = new NextEventLstm(new NextEventVocabulary(6), 4, 10, 2);
        var weights = model.ExportWeights();
        var inference = new LstmInference(weights);
        using var scorer = new NextEventScorer(weights, CPU);
        var draw = new Random(4);
        var sequences = Enumerable.Range(0, 60)
            .Select(_ => Enumerable.Range(0, draw.Next(0, 25)).Select(_ => draw.Next(-1, 7)).ToArray()).ToList();
        sequences.Add(sequences[3].ToArray());
        var scores = scorer.Score(sequences, topG: 2, CancellationToken.None);
        for (var i = 0; i < sequences.Count; i++)
        {
            var online = inference.Score(sequences[i], topG: 2);
            Assert.Equal(online.Perplexity, scores[i].Perplexity, 1e-4 * online.Perplexity);
            Assert.Equal(online.Surprise.Length, scores[i].Surprise.Length);
            for (var p = 0; p < online.Surprise.Length; p++) Assert.Equal(online.Surprise[p], scores[i].Surprise[p], 1e-4f);
            Assert.Equal(online.TopGMisses, scores[i].TopGMisses);
        }
        Assert.Same(scores[3], scores[^1]);
    }

    private static double Loss(NextEventLstm model, NextEventVocabulary vocabulary, int[][] sequences, float[] weights)
    {
        using var batch = NextEventBatch.Create(vocabulary, sequences, weights, CPU);
        using var output = model.forward(batch.Inputs);
        using var loss = batch.Loss(output);
        return loss.item<float>();
    }
}
