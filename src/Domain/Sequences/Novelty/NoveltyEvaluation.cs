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
    double Seconds, DateTime EvaluatedAt);
