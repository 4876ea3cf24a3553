namespace WebApp.Domain.Sequences.Novelty;

/// <summary>
/// How well one detector separated the labelled test sequences: AUCs (null when a class is missing), the confusion at
/// the models' thresholds (each sequence flagged by its own model's threshold) and the ROC curve as
/// (false-positive rate, true-positive rate) pairs.
/// </summary>
public sealed record DetectionSummary(
    int Normal, int Novel, double? RocAuc, double? PrAuc, double F1, double Precision, double Recall, double FalsePositiveRate,
    IReadOnlyList<double[]> Roc)
{
    /// <summary>Summarises perplexities and the threshold flags of normal and novel sequences.</summary>
    public static DetectionSummary Of(IReadOnlyList<(double Score, bool Flagged)> normal, IReadOnlyList<(double Score, bool Flagged)> novel)
    {
        ArgumentNullException.ThrowIfNull(normal);
        ArgumentNullException.ThrowIfNull(novel);
        var normalScores = normal.Select(n => n.Score).ToList();
        var novelScores = novel.Select(n => n.Score).ToList();
        var outcome = DetectionMetrics.FromFlags([.. normal.Select(n => n.Flagged)], [.. novel.Select(n => n.Flagged)]);
        var roc = normal.Count == 0 || novel.Count == 0 ? []
            : DetectionMetrics.RocCurve(normalScores, novelScores, 100).Select(p => new[] { Math.Round(p.FalsePositiveRate, 5), Math.Round(p.TruePositiveRate, 5) }).ToList();
        return new DetectionSummary(normal.Count, novel.Count, Finite(DetectionMetrics.RocAuc(normalScores, novelScores)),
            Finite(DetectionMetrics.AveragePrecision(normalScores, novelScores)), outcome.F1, outcome.Precision, outcome.Recall,
            outcome.FalsePositiveRate, roc);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}

/// <summary>A part of the test data: all of its sequences, and each distinct (events, label) pair once.</summary>
public sealed record EvaluatedPart(DetectionSummary All, DetectionSummary Deduplicated);

/// <summary>The test sequences a cluster received (null: Others, scored by the global model), under the cluster's model.</summary>
public sealed record ClusterEvaluation(int? ClusterId, string Name, EvaluatedPart Result);

/// <summary>
/// A model set's evaluation on its dataset's labelled test part (stored as <see cref="NoveltyModelSet.Evaluation"/>):
/// overall (each sequence under its cluster's model), per cluster, and the set's global model on every sequence.
/// </summary>
public sealed record NoveltyEvaluation(
    int TestSequences, int DistinctTestSequences, EvaluatedPart Overall, EvaluatedPart Global, IReadOnlyList<ClusterEvaluation> Clusters,
    double Seconds, DateTime EvaluatedAt, IReadOnlyList<ModelTestScores>? ModelScores = null);

/// <summary>
/// The perplexities (sorted) of the labelled test sequences a model scored, so a threshold moved later shows its
/// recall, false-positive rate and F1 on the test part without scoring again.
/// </summary>
public sealed record ModelTestScores(int ModelId, float[] Normal, float[] Novel)
{
    /// <summary>The confusion on these test sequences when a perplexity above <paramref name="threshold"/> is flagged.</summary>
    public ThresholdOutcome At(double threshold) =>
        DetectionMetrics.AtThreshold([.. Normal.Select(s => (double)s)], [.. Novel.Select(s => (double)s)], threshold);
}
