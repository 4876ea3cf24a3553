using WebApp.Domain.Sequences;

namespace WebApp.UnitTests.Sequences;

public class ClusterQualityTests
{
    [Fact]
    public void Weighted_silhouette_matches_the_hand_computed_value_and_the_expanded_points()
    {
        // 1-D points 0 and 1 in cluster A; 5 with weight 2 (two identical sequences) in cluster B.
        // 0: a = 1, b = 5 → 0.8;  1: a = 1, b = 4 → 0.75;  5: a = 0, b = 4.5 → 1.  Mean (0.8 + 0.75 + 2·1) / 4.
        double[] points = [0, 1, 5];
        var (overall, perCluster) = ClusterQuality.Silhouette(3, (i, j) => Math.Abs(points[i] - points[j]), [1, 1, 2], [0, 0, 1]);
        Assert.Equal(0.8875, overall, 12);
        Assert.Equal(0.775, perCluster[0], 12);
        Assert.Equal(1.0, perCluster[1], 12);

        double[] expanded = [0, 1, 5, 5];
        var (plain, _) = ClusterQuality.Silhouette(4, (i, j) => Math.Abs(expanded[i] - expanded[j]), [1, 1, 1, 1], [0, 0, 1, 1]);
        Assert.Equal(overall, plain, 12);
    }

    [Fact]
    public void A_single_cluster_or_a_lone_point_scores_zero()
    {
        double[] points = [0, 1, 5];
        Assert.Equal(0, ClusterQuality.Silhouette(3, (i, j) => Math.Abs(points[i] - points[j]), [1, 1, 1], [0, 0, 0]).Overall);
        var (_, perCluster) = ClusterQuality.Silhouette(3, (i, j) => Math.Abs(points[i] - points[j]), [1, 1, 1], [0, 0, 1]);
        Assert.Equal(0, perCluster[1]);
    }

    [Fact]
    public void Adjusted_rand_index_matches_the_hand_computed_value()
    {
        // Contingency [[2,1,0],[0,1,2]]: index 2, expected 6·3/15 = 1.2, maximum 4.5 → 0.8 / 3.3.
        Assert.Equal(0.8 / 3.3, ClusterQuality.AdjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 12);
        Assert.Equal(1, ClusterQuality.AdjustedRandIndex([0, 0, 1, 1], [5, 5, 3, 3]), 12);
    }

    [Fact]
    public void Event_entropy_is_in_bits()
    {
        Assert.Equal(0, ClusterQuality.EventEntropy([[3, 3], [3]]));
        Assert.Equal(1, ClusterQuality.EventEntropy([[1, 2], [1, 2]]), 12);
        Assert.Equal(1.5, ClusterQuality.EventEntropy([[0, 0, 1, 2]]), 12);
    }

    [Fact]
    public void Event_counts_and_euclidean_distance()
    {
        var x = ClusterQuality.EventCounts([0, 2, 2], 3);
        Assert.Equal([1f, 0f, 2f], x);
        Assert.Equal(5, ClusterQuality.Euclidean([0, 3], [4, 0]), 12);
    }
}
