using WebApp.Domain.Sequences.Novelty;

namespace WebApp.UnitTests.Sequences.Novelty;

public class NextEventInferenceTests
{
    [Fact]
    public void Vocabulary_adds_start_end_and_unknown()
    {
        var vocabulary = new NextEventVocabulary(3);
        Assert.Equal((3, 4, 5, 6), (vocabulary.End, vocabulary.Unknown, vocabulary.Start, vocabulary.Size));
        Assert.Equal([5, 0, 2, 4, 4], vocabulary.Inputs([0, 2, -1, 7]));
        Assert.Equal([0, 2, 4, 4, 3], vocabulary.Targets([0, 2, -1, 7]));
        Assert.Equal([5], vocabulary.Inputs([]));
        Assert.Equal([3], vocabulary.Targets([]));
    }

    [Fact]
    public void Weights_round_trip_through_bytes()
    {
        var weights = RandomWeights(datasetEvents: 5, embedding: 3, hidden: 4, layers: 2, seed: 7);
        var copy = NextEventWeights.FromBytes(weights.ToBytes());
        Assert.Equal((5, 3, 4, 2), (copy.Vocabulary.DatasetEvents, copy.EmbeddingSize, copy.HiddenSize, copy.LayerCount));
        Assert.Equal(weights.Embedding, copy.Embedding);
        for (var l = 0; l < 2; l++)
        {
            Assert.Equal(weights.Layers[l].InputWeight, copy.Layers[l].InputWeight);
            Assert.Equal(weights.Layers[l].HiddenWeight, copy.Layers[l].HiddenWeight);
            Assert.Equal(weights.Layers[l].InputBias, copy.Layers[l].InputBias);
            Assert.Equal(weights.Layers[l].HiddenBias, copy.Layers[l].HiddenBias);
        }
        Assert.Equal(weights.OutputWeight, copy.OutputWeight);
        Assert.Equal(weights.OutputBias, copy.OutputBias);
        Assert.Equal(weights.ToBytes(), copy.ToBytes());
    }

    [Fact]
    public void Damaged_weight_files_are_refused_with_a_format_error()
    {
        var bytes = RandomWeights(2, 2, 2, 1, 1).ToBytes();
        Assert.Throws<FormatException>(() => NextEventWeights.FromBytes(bytes[..^3]));
        Assert.Throws<FormatException>(() => NextEventWeights.FromBytes([.. bytes, 0]));
        var otherVersion = (byte[])bytes.Clone();
        otherVersion[4] = 99;
        Assert.Contains("version 99", Assert.Throws<FormatException>(() => NextEventWeights.FromBytes(otherVersion)).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => NextEventWeights.FromBytes([1, 2, 3, 4, 5, 6, 7, 8]));
    }

    [Fact]
    public void A_one_unit_lstm_matches_the_hand_computed_step()
    {
        // One dataset event (tokens 0, End 1, Unknown 2, Start 3), E = H = 1, all weights zero but W_ih's cell row (1)
        // and the embedding of Start (1): after Start, i = f = o = σ(0) = ½, g = tanh(1), c = ½·tanh(1), h = ½·tanh(c).
        // Output logits = [h, 0, 0, 0] (W = [1, 0, 0, 0]).
        var weights = new NextEventWeights(1, 1, 1, [0, 0, 0, 1],
            [new NextEventLstmLayer([0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0])], [1, 0, 0, 0], [0, 0, 0, 0]);
        var h = 0.5 * Math.Tanh(0.5 * Math.Tanh(1));
        var normaliser = Math.Log(Math.Exp(h) + 3);
        var logProbabilities = new LstmInference(weights).LogProbabilities([3]);
        Assert.Equal(h - normaliser, logProbabilities[0], 5);
        Assert.Equal(-normaliser, logProbabilities[1], 5);
        var score = new LstmInference(weights).Score([]);
        Assert.Equal(Math.Exp(normaliser), score.Perplexity, 4);
    }

    [Fact]
    public void Log_probabilities_of_each_step_sum_to_one()
    {
        var inference = new LstmInference(RandomWeights(datasetEvents: 6, embedding: 5, hidden: 9, layers: 2, seed: 3));
        var vocabulary = inference.Vocabulary;
        var rows = inference.LogProbabilities(vocabulary.Inputs([0, 5, 3, -1, 2]));
        for (var step = 0; step < 6; step++)
        {
            Assert.Equal(1.0, rows.AsSpan(step * vocabulary.Size, vocabulary.Size).ToArray().Sum(x => Math.Exp(x)), 5);
        }
    }

    internal static NextEventWeights RandomWeights(int datasetEvents, int embedding, int hidden, int layers, int seed)
    {
        var random = new Random(seed);
        float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var tokens = datasetEvents + 3;
        var lstm = Enumerable.Range(0, layers)
            .Select(l => new NextEventLstmLayer(Values(4 * hidden * (l == 0 ? embedding : hidden)), Values(4 * hidden * hidden), Values(4 * hidden), Values(4 * hidden)))
            .ToList();
        return new NextEventWeights(datasetEvents, embedding, hidden, Values(tokens * embedding), lstm, Values(tokens * hidden), Values(tokens));
    }
}
