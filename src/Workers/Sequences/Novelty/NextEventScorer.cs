using TorchSharp;
using WebApp.Domain.Sequences.Novelty;
using static TorchSharp.torch;

namespace WebApp.Workers.Sequences.Novelty;

/// <summary>
/// Batch scoring with TorchSharp: each distinct sequence is scored once (batches of similar length, no gradients)
/// and the result is shared by its copies. Gives the same figures as <see cref="LstmInference"/> (to float rounding).
/// One scorer per thread: TorchSharp modules are not meant for concurrent calls.
/// </summary>
public sealed class NextEventScorer : IDisposable
{
    private readonly NextEventLstm _model;
    private readonly Device _device;

    public NextEventScorer(NextEventWeights weights, Device device)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        _model = NextEventLstm.FromWeights(weights);
        _model.to(device);
        _model.eval();
    }

    public NextEventVocabulary Vocabulary => _model.Vocabulary;

    /// <summary>One score per sequence, in order; events are dataset event indexes (−1 or out of range: unknown).</summary>
    public NextEventScore[] Score(IReadOnlyList<int[]> sequences, int topG, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(topG, 1);
        var results = new NextEventScore[sequences.Count];
        if (sequences.Count == 0) return results;
        var (distinct, _) = NextEventTrainer.Distinct(sequences);
        var distinctScores = new NextEventScore[distinct.Count];
        using var noGrad = no_grad();
        using var g = ((long)topG).ToScalar();
        foreach (var members in NextEventTrainer.LengthBatches(distinct, NextEventTrainer.EvaluationBatchSize, Vocabulary.Size, NextEventTrainer.EvaluationCells))
        {
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var batchSequences = members.Select(i => distinct[i]).ToList();
            using var batch = NextEventBatch.Create(Vocabulary, batchSequences, new float[members.Length], _device);
            var logProbabilities = _model.forward(batch.Inputs);
            var own = logProbabilities.gather(2, batch.Targets.unsqueeze(2)); // [B, T, 1]
            // The DeepLog rule as NoveltyMath.Score has it: candidates are the events and End; an Unknown next event always misses.
            var candidates = logProbabilities.narrow(2, 0, Vocabulary.End + 1);
            var outside = candidates.gt(own).sum(2).ge(g).logical_or(batch.Targets.eq(Vocabulary.Unknown));
            var misses = (outside.to_type(ScalarType.Float32) * batch.Mask).sum(1);
            var ownValues = own.squeeze(2).cpu().contiguous().data<float>().ToArray();
            var missValues = misses.cpu().data<float>().ToArray();
            var width = (int)batch.Inputs.shape[1];
            for (var b = 0; b < members.Length; b++)
            {
                var span = ownValues.AsSpan(b * width, batch.Lengths[b]);
                distinctScores[members[b]] = new NextEventScore(NoveltyMath.Perplexity(span), NoveltyMath.Surprise(span), (int)missValues[b]);
            }
        }
        var lookup = new Dictionary<int[], int>(SequenceComparer.Instance);
        for (var i = 0; i < distinct.Count; i++) lookup[distinct[i]] = i;
        for (var i = 0; i < sequences.Count; i++) results[i] = distinctScores[lookup[sequences[i]]];
        return results;
    }

    public void Dispose() => _model.Dispose();
}
