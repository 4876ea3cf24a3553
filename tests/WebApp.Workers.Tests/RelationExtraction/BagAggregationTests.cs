using WebApp.Workers.RelationExtraction;
using static TorchSharp.torch;

namespace WebApp.Workers.Tests.RelationExtraction;

[Collection(TorchRandomGroup.Name)]
public class BagAggregationTests
{
    // One bag of two sentences whose representations are given directly (D = 3·filters = 6), 3 relations.
    private static readonly float[] Sentence0 = [1, 0, 2, 0, 0, 1];
    private static readonly float[] Sentence1 = [0, 3, 0, 1, 1, 0];

    private static (PcnnModel Model, PcnnBatch Batch, Tensor Reps) Setup(BagAggregation aggregation)
    {
        random.manual_seed(1);
        var model = new PcnnModel(10, 4, 3, new PcnnOptions { Filters = 2, WordDim = 4, Aggregation = aggregation });
        model.eval();
        var sentence = new EncodedSentence([2], [1], [1], [1], 0);
        var batch = PcnnBatch.Create([sentence, sentence], [[0, 1]], CPU);
        return (model, batch, tensor(Sentence0.Concat(Sentence1).ToArray(), [2, 6]));
    }

    private static float[] Probabilities(PcnnModel model, float[] representation)
    {
        using var rep = tensor(representation, [1, 6]);
        using var logits = model.Classify(rep);
        using var softmax = logits.softmax(1);
        return softmax.data<float>().ToArray();
    }

    [Fact]
    public void One_takes_each_relations_maximum_over_the_sentences()
    {
        var (model, batch, reps) = Setup(BagAggregation.One);
        using (model)
        using (batch)
        using (reps)
        using (var result = model.TestProbabilities(reps, batch))
        {
            var p0 = Probabilities(model, Sentence0);
            var p1 = Probabilities(model, Sentence1);
            var actual = result.data<float>().ToArray();
            for (var r = 0; r < 3; r++) Assert.Equal(Math.Max(p0[r], p1[r]), actual[r], 5);
        }
    }

    [Fact]
    public void Avg_classifies_the_mean_representation()
    {
        var (model, batch, reps) = Setup(BagAggregation.Avg);
        using (model)
        using (batch)
        using (reps)
        using (var result = model.TestProbabilities(reps, batch))
        {
            var expected = Probabilities(model, Sentence0.Zip(Sentence1, (a, b) => (a + b) / 2).ToArray());
            var actual = result.data<float>().ToArray();
            for (var r = 0; r < 3; r++) Assert.Equal(expected[r], actual[r], 5);
        }
    }

    [Fact]
    public void Att_scores_each_relation_after_attention_with_that_relations_query()
    {
        var (model, batch, reps) = Setup(BagAggregation.Att);
        using (model)
        using (batch)
        using (reps)
        using (var result = model.TestProbabilities(reps, batch))
        {
            var weights = model.parameters().Single(p => p.shape.SequenceEqual(new long[] { 3, 6 })).data<float>().ToArray();
            var actual = result.data<float>().ToArray();
            for (var r = 0; r < 3; r++)
            {
                // query = classifier row r; weights = softmax(rep · query) over the two sentences
                double s0 = 0, s1 = 0;
                for (var d = 0; d < 6; d++)
                {
                    s0 += Sentence0[d] * weights[r * 6 + d];
                    s1 += Sentence1[d] * weights[r * 6 + d];
                }
                var a0 = 1 / (1 + Math.Exp(s1 - s0));
                var bag = Sentence0.Zip(Sentence1, (x, y) => (float)(a0 * x + (1 - a0) * y)).ToArray();
                Assert.Equal(Probabilities(model, bag)[r], actual[r], 5);
            }
        }
    }
}
