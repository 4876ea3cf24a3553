using WebApp.Domain.Sequences.Novelty;
using static TorchSharp.torch;

namespace WebApp.Workers.Sequences.Novelty;

/// <summary>
/// Sequences padded on the right to the longest: inputs (Start, events) and targets (events, End) <c>[B, T]</c>,
/// a mask <c>[B, T]</c> (1 for real predictions) and a weight per sequence <c>[B]</c> (how many times it occurs).
/// The LSTM runs left to right, so right padding never changes the outputs at real positions; the mask keeps
/// the padded positions out of every sum.
/// </summary>
public sealed class NextEventBatch : IDisposable
{
    private NextEventBatch(Tensor inputs, Tensor targets, Tensor mask, Tensor weights, int[] lengths)
    {
        Inputs = inputs;
        Targets = targets;
        Mask = mask;
        Weights = weights;
        Lengths = lengths;
    }

    public Tensor Inputs { get; }
    public Tensor Targets { get; }
    public Tensor Mask { get; }
    public Tensor Weights { get; }

    /// <summary>Predictions per sequence (events + 1).</summary>
    public int[] Lengths { get; }

    public static NextEventBatch Create(NextEventVocabulary vocabulary, IReadOnlyList<int[]> sequences, IReadOnlyList<float> weights, Device device)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(weights);
        if (sequences.Count == 0 || weights.Count != sequences.Count) throw new ArgumentException("One weight per sequence, at least one sequence.", nameof(weights));
        var lengths = sequences.Select(s => s.Length + 1).ToArray();
        var width = lengths.Max();
        var inputs = new long[sequences.Count * width];
        var targets = new long[sequences.Count * width];
        var mask = new float[sequences.Count * width];
        for (var b = 0; b < sequences.Count; b++)
        {
            var input = vocabulary.Inputs(sequences[b]);
            var target = vocabulary.Targets(sequences[b]);
            for (var t = 0; t < width; t++)
            {
                var real = t < input.Length;
                // Padding repeats End: any valid token works, the mask removes it.
                inputs[b * width + t] = real ? input[t] : vocabulary.End;
                targets[b * width + t] = real ? target[t] : vocabulary.End;
                mask[b * width + t] = real ? 1 : 0;
            }
        }
        long[] shape = [sequences.Count, width];
        return new NextEventBatch(tensor(inputs, shape, device: device), tensor(targets, shape, device: device),
            tensor(mask, shape, device: device), tensor(weights.ToArray(), device: device), lengths);
    }

    /// <summary>Log-probability of the actual next token at each position <c>[B, T]</c>, 0 at padding.</summary>
    public Tensor TargetLogProbabilities(Tensor logProbabilities)
    {
        ArgumentNullException.ThrowIfNull(logProbabilities);
        using var scope = NewDisposeScope();
        return (logProbabilities.gather(2, Targets.unsqueeze(2)).squeeze(2) * Mask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The training loss: mean −log p over the real predictions, each sequence counted by its weight
    /// (Σ w·Σ −log p / Σ w·length): the mean over all tokens of the sequences as if each occurrence were present.
    /// </summary>
    public Tensor Loss(Tensor logProbabilities)
    {
        using var scope = NewDisposeScope();
        var perSequence = TargetLogProbabilities(logProbabilities).sum(1).neg(); // [B]
        var tokens = Mask.sum(1); // [B]
        return ((perSequence * Weights).sum() / (tokens * Weights).sum()).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Mask.Dispose();
        Weights.Dispose();
    }
}
