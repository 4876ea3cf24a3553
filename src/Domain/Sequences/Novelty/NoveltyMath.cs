namespace WebApp.Domain.Sequences.Novelty;

/// <summary>The novelty of one sequence under a next-event model.</summary>
/// <param name="Perplexity">exp of the mean −log p over the predictions (events 1…n and the end).</param>
/// <param name="Surprise">−log p of each predicted event, the end last, in nats.</param>
/// <param name="TopGMisses">How many predictions fell outside the model's top g (the DeepLog rule).</param>
public sealed record NextEventScore(double Perplexity, float[] Surprise, int TopGMisses);

/// <summary>Scores from next-event log-probabilities, and thresholds from validation scores.</summary>
public static class NoveltyMath
{
    /// <summary>DeepLog's g: a next event is normal when it is among the model's 9 most likely.</summary>
    public const int DefaultTopG = 9;

    /// <summary>exp(mean −log p), computed from the log-probabilities (never multiplying probabilities).</summary>
    public static double Perplexity(ReadOnlySpan<float> targetLogProbabilities)
    {
        if (targetLogProbabilities.IsEmpty) throw new ArgumentException("Perplexity needs at least one prediction.", nameof(targetLogProbabilities));
        double sum = 0;
        foreach (var logProbability in targetLogProbabilities) sum += logProbability;
        return Math.Exp(-sum / targetLogProbabilities.Length);
    }

    /// <summary>−log p of each prediction, in nats.</summary>
    public static float[] Surprise(ReadOnlySpan<float> targetLogProbabilities)
    {
        var surprise = new float[targetLogProbabilities.Length];
        for (var i = 0; i < surprise.Length; i++) surprise[i] = -targetLogProbabilities[i];
        return surprise;
    }

    /// <summary>
    /// Whether <paramref name="actual"/> is outside the top <paramref name="g"/> of <paramref name="logProbabilities"/>:
    /// at least g tokens are strictly more likely. Ties count in the actual token's favour.
    /// </summary>
    public static bool IsOutsideTopG(ReadOnlySpan<float> logProbabilities, int actual, int g)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(g, 1);
        var own = logProbabilities[actual];
        var moreLikely = 0;
        foreach (var logProbability in logProbabilities)
        {
            if (logProbability > own && ++moreLikely >= g) return true;
        }
        return false;
    }

    /// <summary>
    /// Scores a sequence from the model's output <paramref name="logProbabilities"/> (row-major, one row of
    /// <c>vocabulary.Size</c> per prediction) and the tokens that actually came next. For the DeepLog rule the
    /// candidates are the dataset's events and End (Start and Unknown can never be predicted), and an Unknown next
    /// event is always a miss.
    /// </summary>
    public static NextEventScore Score(ReadOnlySpan<float> logProbabilities, NextEventVocabulary vocabulary, ReadOnlySpan<int> targets, int g)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var tokens = vocabulary.Size;
        if (logProbabilities.Length != tokens * targets.Length)
        {
            throw new ArgumentException("One row of log-probabilities per target is needed.", nameof(logProbabilities));
        }
        var own = new float[targets.Length];
        var misses = 0;
        for (var p = 0; p < targets.Length; p++)
        {
            var row = logProbabilities.Slice(p * tokens, tokens);
            own[p] = row[targets[p]];
            if (targets[p] == vocabulary.Unknown || IsOutsideTopG(row[..(vocabulary.End + 1)], targets[p], g)) misses++;
        }
        return new NextEventScore(Perplexity(own), Surprise(own), misses);
    }

    /// <summary>
    /// The threshold for a target false-positive rate r on held-out normal scores sorted ascending (n of them):
    /// the nearest-rank (1 − r) percentile, <c>sorted[⌈(1 − r)·n⌉ − 1]</c> (index clamped to 0…n−1). A score above the
    /// threshold is novel, so at most ⌊r·n⌋ validation scores are flagged: r = 0.01 with 200 scores gives sorted[197],
    /// leaving sorted[198] and sorted[199] above it; r = 0 gives the maximum.
    /// </summary>
    public static double Threshold(IReadOnlyList<float> sortedScores, double targetFalsePositiveRate)
    {
        ArgumentNullException.ThrowIfNull(sortedScores);
        if (sortedScores.Count == 0) throw new ArgumentException("A threshold needs validation scores.", nameof(sortedScores));
        if (!(targetFalsePositiveRate >= 0 && targetFalsePositiveRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(targetFalsePositiveRate), "The target false-positive rate must be in [0, 1).");
        }
        // The small tolerance keeps (1 − 0.01)·100 from rounding up to rank 100.
        var rank = (int)Math.Ceiling((1 - targetFalsePositiveRate) * sortedScores.Count - 1e-9);
        return sortedScores[Math.Clamp(rank - 1, 0, sortedScores.Count - 1)];
    }

    /// <summary>The share of held-out normal scores (sorted ascending) above <paramref name="threshold"/>.</summary>
    public static double FalsePositiveRate(IReadOnlyList<float> sortedScores, double threshold)
    {
        ArgumentNullException.ThrowIfNull(sortedScores);
        if (sortedScores.Count == 0) return 0;
        // First index whose score is above the threshold.
        int low = 0, high = sortedScores.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sortedScores[middle] > threshold) high = middle;
            else low = middle + 1;
        }
        return (double)(sortedScores.Count - low) / sortedScores.Count;
    }
}
