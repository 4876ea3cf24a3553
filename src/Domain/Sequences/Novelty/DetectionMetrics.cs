namespace WebApp.Domain.Sequences.Novelty;

/// <summary>A point of a ROC curve: flagging every score above <see cref="Threshold"/> gives these rates.</summary>
public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);

/// <summary>Counts and rates when every score strictly above a threshold is flagged novel.</summary>
public sealed record ThresholdOutcome(double Threshold, int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    public double FalsePositiveRate => FalsePositives + TrueNegatives == 0 ? 0 : (double)FalsePositives / (FalsePositives + TrueNegatives);
}

/// <summary>
/// Detection quality of novelty scores (higher = more novel) against known normal and novel sequences: ROC-AUC,
/// average precision (PR-AUC), the ROC curve and the confusion at a threshold.
/// </summary>
public static class DetectionMetrics
{
    /// <summary>
    /// ROC-AUC as the Mann–Whitney statistic: the chance that a random novel sequence scores above a random normal one,
    /// ties counting one half (average ranks). NaN when either set is empty.
    /// </summary>
    public static double RocAuc(IReadOnlyList<double> normalScores, IReadOnlyList<double> novelScores)
    {
        ArgumentNullException.ThrowIfNull(normalScores);
        ArgumentNullException.ThrowIfNull(novelScores);
        if (normalScores.Count == 0 || novelScores.Count == 0) return double.NaN;
        var all = normalScores.Select(s => (Score: s, Novel: false)).Concat(novelScores.Select(s => (Score: s, Novel: true)))
            .OrderBy(p => p.Score).ToArray();
        double novelRankSum = 0;
        for (var start = 0; start < all.Length;)
        {
            var end = start;
            while (end + 1 < all.Length && all[end + 1].Score == all[start].Score) end++;
            // Ranks start..end (1-based start+1..end+1) share their mean.
            var averageRank = (start + end) / 2.0 + 1;
            for (var i = start; i <= end; i++) if (all[i].Novel) novelRankSum += averageRank;
            start = end + 1;
        }
        double novel = novelScores.Count;
        return (novelRankSum - novel * (novel + 1) / 2) / (novel * normalScores.Count);
    }

    /// <summary>
    /// Average precision (the area under the precision–recall step curve): the sum over thresholds of the precision
    /// there times the recall gained; tied scores form one threshold. NaN when there is no novel sequence.
    /// </summary>
    public static double AveragePrecision(IReadOnlyList<double> normalScores, IReadOnlyList<double> novelScores)
    {
        ArgumentNullException.ThrowIfNull(normalScores);
        ArgumentNullException.ThrowIfNull(novelScores);
        if (novelScores.Count == 0) return double.NaN;
        double sum = 0;
        foreach (var (truePositives, falsePositives, _, gained) in Steps(normalScores, novelScores))
        {
            if (gained > 0) sum += (double)truePositives / (truePositives + falsePositives) * gained / novelScores.Count;
        }
        return sum;
    }

    /// <summary>
    /// The ROC curve from (0, 0) to (1, 1), one point per distinct score, thinned to at most <paramref name="maxPoints"/>
    /// points (evenly by index, the first and last kept) for plotting.
    /// </summary>
    public static IReadOnlyList<RocPoint> RocCurve(IReadOnlyList<double> normalScores, IReadOnlyList<double> novelScores, int maxPoints = 200)
    {
        ArgumentNullException.ThrowIfNull(normalScores);
        ArgumentNullException.ThrowIfNull(novelScores);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        double negatives = Math.Max(1, normalScores.Count);
        double positives = Math.Max(1, novelScores.Count);
        var points = new List<RocPoint> { new(0, 0, double.PositiveInfinity) };
        foreach (var (truePositives, falsePositives, threshold, _) in Steps(normalScores, novelScores))
        {
            // Flagging scores ≥ this one is flagging scores above the next lower value; report it as "≥ threshold".
            points.Add(new RocPoint(falsePositives / negatives, truePositives / positives, threshold));
        }
        if (points.Count <= maxPoints) return points;
        var thinned = new List<RocPoint>(maxPoints);
        for (var i = 0; i < maxPoints; i++) thinned.Add(points[(int)Math.Round((double)i * (points.Count - 1) / (maxPoints - 1))]);
        return thinned;
    }

    /// <summary>The confusion when a score strictly above <paramref name="threshold"/> is flagged novel.</summary>
    public static ThresholdOutcome AtThreshold(IReadOnlyList<double> normalScores, IReadOnlyList<double> novelScores, double threshold)
    {
        ArgumentNullException.ThrowIfNull(normalScores);
        ArgumentNullException.ThrowIfNull(novelScores);
        var falsePositives = normalScores.Count(s => s > threshold);
        var truePositives = novelScores.Count(s => s > threshold);
        return new ThresholdOutcome(threshold, truePositives, falsePositives, normalScores.Count - falsePositives, novelScores.Count - truePositives);
    }

    /// <summary>The confusion when each sequence is flagged by its own rule (e.g. its cluster's threshold).</summary>
    public static ThresholdOutcome FromFlags(IReadOnlyList<bool> normalFlagged, IReadOnlyList<bool> novelFlagged)
    {
        ArgumentNullException.ThrowIfNull(normalFlagged);
        ArgumentNullException.ThrowIfNull(novelFlagged);
        var falsePositives = normalFlagged.Count(f => f);
        var truePositives = novelFlagged.Count(f => f);
        return new ThresholdOutcome(double.NaN, truePositives, falsePositives, normalFlagged.Count - falsePositives, novelFlagged.Count - truePositives);
    }

    /// <summary>Walking down the distinct scores: cumulative counts flagged at "score ≥ this", and the novel ones it adds.</summary>
    private static IEnumerable<(int TruePositives, int FalsePositives, double Threshold, int NovelGained)> Steps(
        IReadOnlyList<double> normalScores, IReadOnlyList<double> novelScores)
    {
        var all = normalScores.Select(s => (Score: s, Novel: false)).Concat(novelScores.Select(s => (Score: s, Novel: true)))
            .OrderByDescending(p => p.Score).ToArray();
        int truePositives = 0, falsePositives = 0;
        for (var start = 0; start < all.Length;)
        {
            var gained = 0;
            var end = start;
            while (end < all.Length && all[end].Score == all[start].Score)
            {
                if (all[end].Novel) gained++;
                else falsePositives++;
                end++;
            }
            truePositives += gained;
            yield return (truePositives, falsePositives, all[start].Score, gained);
            start = end;
        }
    }
}
