using static TorchSharp.torch;

namespace WebApp.Workers.RelationExtraction;

/// <summary>Scores examples with a trained PCNN, in eval mode under no_grad, in batches of similar length.</summary>
public sealed class PcnnScorer(PcnnTrainedModel model, Device device)
{
    private int BatchSize => model.Options.ScoringBatchSize;

    /// <summary>Per sentence, the softmax over relations (each sentence its own bag).</summary>
    public float[][] ScoreSentences(IReadOnlyList<RelationExample> examples) =>
        Analyse(Encode(examples), withDetails: false).Select(a => a.Probabilities).ToArray();

    /// <summary>Per sentence, its representation (3 × filters values).</summary>
    public float[][] Represent(IReadOnlyList<RelationExample> examples) =>
        Analyse(Encode(examples), withDetails: false).Select(a => a.Representation).ToArray();

    /// <summary>Per sentence: probabilities, representation and the pooling winners mapped back to its tokens.</summary>
    public SentenceAnalysis[] Analyse(IReadOnlyList<RelationExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var encoded = Encode(examples);
        var analyses = Analyse(encoded, withDetails: true);
        for (var i = 0; i < analyses.Length; i++)
        {
            var tokens = examples[i].Tokens.Count;
            var wins = new int[tokens];
            var segments = new int[tokens];
            var e = encoded[i];
            for (var j = 0; j < e.Length; j++)
            {
                wins[e.Offset + j] = analyses[i].PoolingWins[j];
                segments[e.Offset + j] = e.Segments[j];
            }
            analyses[i] = analyses[i] with { PoolingWins = wins, Segments = segments };
        }
        return analyses;
    }

    /// <summary>Per entity pair (in order of first appearance), the probability of every relation.</summary>
    public IReadOnlyList<BagScores> ScoreBags(IReadOnlyList<RelationExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var bags = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var keys = new List<string>();
        for (var i = 0; i < examples.Count; i++)
        {
            if (!bags.TryGetValue(examples[i].BagKey, out var members))
            {
                bags[examples[i].BagKey] = members = [];
                keys.Add(examples[i].BagKey);
            }
            members.Add(i);
        }
        var probabilities = ScoreBags(Encode(examples), keys.Select(k => (IReadOnlyList<int>)bags[k]).ToList());
        return keys.Select((k, i) => new BagScores(k, probabilities[i])).ToList();
    }

    /// <summary>Bag probabilities for bags given as indices into <paramref name="sentences"/>.</summary>
    public float[][] ScoreBags(IReadOnlyList<EncodedSentence> sentences, IReadOnlyList<IReadOnlyList<int>> bags)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(bags);
        var results = new float[bags.Count][];
        var order = Enumerable.Range(0, bags.Count).OrderBy(b => bags[b].Max(i => sentences[i].Length)).ToArray();
        model.Model.eval();
        using var noGrad = no_grad();
        var start = 0;
        while (start < order.Length)
        {
            var chosen = new List<int>();
            var count = 0;
            while (start < order.Length && (chosen.Count == 0 || count + bags[order[start]].Count <= BatchSize))
            {
                count += bags[order[start]].Count;
                chosen.Add(order[start++]);
            }
            using var scope = NewDisposeScope();
            using var batch = PcnnBatch.Create(sentences, chosen.Select(b => bags[b]).ToList(), device);
            var probabilities = model.Model.TestProbabilities(model.Model.Encode(batch), batch).cpu();
            var values = probabilities.data<float>().ToArray();
            var n = (int)probabilities.shape[1];
            for (var g = 0; g < chosen.Count; g++) results[chosen[g]] = values.AsSpan(g * n, n).ToArray();
        }
        return results;
    }

    private EncodedSentence[] Encode(IReadOnlyList<RelationExample> examples) => examples.Select(model.Encode).ToArray();

    private SentenceAnalysis[] Analyse(EncodedSentence[] sentences, bool withDetails)
    {
        var results = new SentenceAnalysis[sentences.Length];
        var order = Enumerable.Range(0, sentences.Length).OrderBy(i => sentences[i].Length).ToArray();
        model.Model.eval();
        using var noGrad = no_grad();
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            var chosen = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
            using var scope = NewDisposeScope();
            using var batch = PcnnBatch.Create(sentences, chosen.Select(i => (IReadOnlyList<int>)[i]).ToList(), device);
            var representation = model.Model.Encode(batch, out var winners);
            var probabilities = model.Model.Classify(representation).softmax(1).cpu().data<float>().ToArray();
            var reps = representation.cpu().data<float>().ToArray();
            var n = model.Relations.Count;
            var d = model.Model.RepresentationSize;
            long[]? positions = withDetails ? winners.cpu().data<long>().ToArray() : null;
            for (var k = 0; k < chosen.Length; k++)
            {
                var rep = reps.AsSpan(k * d, d).ToArray();
                var wins = new int[sentences[chosen[k]].Length];
                if (positions is not null)
                {
                    // winners [B, 3, H] and rep [B, 3·H] share the segment-major order
                    for (var f = 0; f < d; f++)
                        if (rep[f] > 0) wins[positions[k * d + f]]++;
                }
                results[chosen[k]] = new SentenceAnalysis(probabilities.AsSpan(k * n, n).ToArray(), rep, wins, []);
            }
        }
        return results;
    }
}
