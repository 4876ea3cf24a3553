using WebApp.Domain.Sequences.Novelty;

namespace WebApp.UnitTests.Sequences.Novelty;

public class DetectionMetricsTests
{
    // Worked by hand. Pairs (novel, normal): 0.35 beats 0.1, ties 0.35 → 1.5; 0.9 beats all four → 4;
    // 0.8 beats 0.1, 0.4, 0.35 and ties 0.8 → 3.5. AUC = 9 / 12.
    private static readonly double[] Normal = [0.1, 0.4, 0.35, 0.8];
    private static readonly double[] Novel = [0.35, 0.9, 0.8];

    [Fact]
    public void Roc_auc_counts_ties_as_one_half()
    {
        Assert.Equal(0.75, DetectionMetrics.RocAuc(Normal, Novel), 12);
    }

    [Fact]
    public void Roc_auc_of_perfect_reversed_and_tied_scores()
    {
        Assert.Equal(1, DetectionMetrics.RocAuc([1, 2], [3, 4]), 12);
        Assert.Equal(0, DetectionMetrics.RocAuc([3, 4], [1, 2]), 12);
        Assert.Equal(0.5, DetectionMetrics.RocAuc([5, 5, 5], [5, 5]), 12);
        Assert.True(double.IsNaN(DetectionMetrics.RocAuc([], [1])));
    }

    [Fact]
    public void Average_precision_sums_precision_times_recall_gained_per_threshold()
    {
        // ≥0.9: 1 TP, 0 FP (P 1, +1/3); ≥0.8: 2 TP, 1 FP (P 2/3, +1/3); ≥0.4: nothing gained; ≥0.35: 3 TP, 3 FP (P 1/2, +1/3).
        // AP = 1/3 + 2/9 + 1/6 = 13/18.
        Assert.Equal(13.0 / 18, DetectionMetrics.AveragePrecision(Normal, Novel), 12);
        Assert.Equal(1, DetectionMetrics.AveragePrecision([1], [2, 3]), 12);
    }

    [Fact]
    public void Roc_curve_has_one_point_per_distinct_score()
    {
        var curve = DetectionMetrics.RocCurve(Normal, Novel);
        Assert.Equal([(0, 0), (0, 1.0 / 3), (0.25, 2.0 / 3), (0.5, 2.0 / 3), (0.75, 1), (1, 1)],
            curve.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)).ToArray());
        Assert.Equal([0.9, 0.8, 0.4, 0.35, 0.1], curve.Skip(1).Select(p => p.Threshold).ToArray());
    }

    [Fact]
    public void Roc_curve_is_thinned_keeping_both_ends()
    {
        var normal = Enumerable.Range(0, 500).Select(i => (double)i).ToArray();
        var novel = Enumerable.Range(250, 500).Select(i => i + 0.5).ToArray();
        var curve = DetectionMetrics.RocCurve(normal, novel, maxPoints: 50);
        Assert.Equal(50, curve.Count);
        Assert.Equal((0.0, 0.0), (curve[0].FalsePositiveRate, curve[0].TruePositiveRate));
        Assert.Equal((1.0, 1.0), (curve[^1].FalsePositiveRate, curve[^1].TruePositiveRate));
    }

    [Fact]
    public void F1_at_a_threshold_flags_scores_strictly_above_it()
    {
        // Above 0.35: normals 0.4 and 0.8 (FP 2, TN 2), novels 0.9 and 0.8 (TP 2, FN 1). P 1/2, R 2/3, F1 4/7.
        var outcome = DetectionMetrics.AtThreshold(Normal, Novel, 0.35);
        Assert.Equal((2, 2, 2, 1), (outcome.TruePositives, outcome.FalsePositives, outcome.TrueNegatives, outcome.FalseNegatives));
        Assert.Equal(0.5, outcome.Precision, 12);
        Assert.Equal(2.0 / 3, outcome.Recall, 12);
        Assert.Equal(4.0 / 7, outcome.F1, 12);
        Assert.Equal(0.5, outcome.FalsePositiveRate, 12);
    }

    [Fact]
    public void F1_from_flags_and_with_nothing_flagged()
    {
        var outcome = DetectionMetrics.FromFlags([false, true, false, false], [true, true, false]);
        // FP 1, TN 3, TP 2, FN 1: precision 2/3, recall 2/3.
        Assert.Equal((2, 1, 3, 1), (outcome.TruePositives, outcome.FalsePositives, outcome.TrueNegatives, outcome.FalseNegatives));
        Assert.Equal(2.0 / 3, outcome.F1, 12);
        Assert.Equal(0, DetectionMetrics.AtThreshold(Normal, Novel, 10).F1);
    }
}
