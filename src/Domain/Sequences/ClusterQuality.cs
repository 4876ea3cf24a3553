namespace WebApp.Domain.Sequences;

/// <summary>Figures of a clustering's quality and agreement, shared by the clustering jobs and the workbench.</summary>
public static class ClusterQuality
{
    /// <summary>
    /// Silhouette of weighted points (a point of weight w stands for w identical sequences, so distinct sequences with
    /// their multiplicities give the same figure as all sequences). Returns the weighted mean over all points and the
    /// mean per cluster label; a point alone in its cluster scores 0, and with one cluster the overall figure is 0.
    /// </summary>
    public static (double Overall, IReadOnlyDictionary<int, double> PerCluster) Silhouette(
        int count, Func<int, int, double> distance, IReadOnlyList<int> weights, IReadOnlyList<int> labels)
    {
        var clusterWeight = new Dictionary<int, double>();
        for (var i = 0; i < count; i++) clusterWeight[labels[i]] = clusterWeight.GetValueOrDefault(labels[i]) + weights[i];
        var sumByCluster = new Dictionary<int, double>();
        var perClusterSum = new Dictionary<int, double>();
        double total = 0, totalWeight = 0;
        for (var i = 0; i < count; i++)
        {
            sumByCluster.Clear();
            for (var j = 0; j < count; j++)
            {
                if (j == i) continue;
                sumByCluster[labels[j]] = sumByCluster.GetValueOrDefault(labels[j]) + weights[j] * distance(i, j);
            }
            var own = labels[i];
            var ownOthers = clusterWeight[own] - 1; // the other members, copies of this point (distance 0) included
            var score = 0.0;
            if (ownOthers > 0 && clusterWeight.Count > 1)
            {
                var a = sumByCluster.GetValueOrDefault(own) / ownOthers;
                var b = clusterWeight.Where(c => c.Key != own).Min(c => sumByCluster.GetValueOrDefault(c.Key) / c.Value);
                var larger = Math.Max(a, b);
                score = larger > 0 ? (b - a) / larger : 0;
            }
            perClusterSum[own] = perClusterSum.GetValueOrDefault(own) + weights[i] * score;
            total += weights[i] * score;
            totalWeight += weights[i];
        }
        var perCluster = perClusterSum.ToDictionary(c => c.Key, c => c.Value / clusterWeight[c.Key]);
        return (totalWeight > 0 ? total / totalWeight : 0, perCluster);
    }

    /// <summary>Euclidean distance between two event-count vectors.</summary>
    public static double Euclidean(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var d = x[i] - y[i];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Event counts of a sequence, by event-type index.</summary>
    public static float[] EventCounts(IEnumerable<int> events, int vocabularySize)
    {
        var counts = new float[vocabularySize];
        foreach (var e in events) counts[e]++;
        return counts;
    }

    /// <summary>Shannon entropy in bits of the events pooled over a cluster's sequences: 0 when one event is all there is.</summary>
    public static double EventEntropy(IEnumerable<int[]> sequences)
    {
        var counts = new Dictionary<int, long>();
        long total = 0;
        foreach (var sequence in sequences)
        {
            foreach (var e in sequence) counts[e] = counts.GetValueOrDefault(e) + 1;
            total += sequence.Length;
        }
        if (total == 0) return 0;
        return -counts.Values.Sum(c => (double)c / total * Math.Log2((double)c / total));
    }

    /// <summary>Adjusted Rand index of two labelings of the same items (1: identical partitions, about 0: chance).</summary>
    public static double AdjustedRandIndex(IReadOnlyList<int> first, IReadOnlyList<int> second)
    {
        if (first.Count != second.Count) throw new ArgumentException("Both labelings must cover the same items.");
        var n = first.Count;
        var cells = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var columns = new Dictionary<int, long>();
        for (var i = 0; i < n; i++)
        {
            cells[(first[i], second[i])] = cells.GetValueOrDefault((first[i], second[i])) + 1;
            rows[first[i]] = rows.GetValueOrDefault(first[i]) + 1;
            columns[second[i]] = columns.GetValueOrDefault(second[i]) + 1;
        }
        static double Pairs(long m) => m * (m - 1) / 2.0;
        var index = cells.Values.Sum(Pairs);
        var rowPairs = rows.Values.Sum(Pairs);
        var columnPairs = columns.Values.Sum(Pairs);
        var expected = rowPairs * columnPairs / Pairs(n);
        var maximum = (rowPairs + columnPairs) / 2;
        // Both partitions trivial (all in one cluster, or all singletons): identical by construction.
        return maximum == expected ? 1 : (index - expected) / (maximum - expected);
    }
}
