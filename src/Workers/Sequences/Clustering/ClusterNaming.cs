using System.Globalization;

namespace WebApp.Workers.Sequences.Clustering;

/// <summary>Default names of automatic clusters: their most distinctive events, e.g. "k-means 1: 5 22 11 …".</summary>
public static class ClusterNaming
{
    public const int EventsInName = 3;

    /// <summary>
    /// Events ranked by how much they set the cluster apart: p(e | cluster) · log(p(e | cluster) / p(e)), the event's
    /// share of the divergence from the whole data, so an event must be both frequent in the cluster and more frequent
    /// there than overall. When no event is over-represented (the cluster looks like everything), its most frequent
    /// events are named instead.
    /// </summary>
    public static IReadOnlyList<int> DistinctiveEvents(IReadOnlyList<double> cluster, IReadOnlyList<double> overall, int count)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(overall);
        var present = Enumerable.Range(0, cluster.Count).Where(e => cluster[e] > 0).ToList();
        var distinctive = present.Where(e => overall[e] > 0 && cluster[e] > overall[e])
            .OrderByDescending(e => cluster[e] * Math.Log(cluster[e] / overall[e])).ThenBy(e => e).Take(count).ToList();
        return distinctive.Count > 0 ? distinctive : [.. present.OrderByDescending(e => cluster[e]).ThenBy(e => e).Take(count)];
    }

    /// <summary>"{prefix} {number}: e1 e2 e3 …" with the ellipsis when the cluster has more events than the name shows.</summary>
    public static string Name(string prefix, int number, IReadOnlyList<double> cluster, IReadOnlyList<double> overall,
        IReadOnlyList<string> eventNames)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(eventNames);
        var events = DistinctiveEvents(cluster, overall, EventsInName);
        var more = cluster.Count(p => p > 0) > events.Count ? " …" : "";
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix} {number}: {string.Join(' ', events.Select(e => eventNames[e]))}{more}");
        return name.Length <= 200 ? name : string.Concat(name.AsSpan(0, 199), "…");
    }

    /// <summary>Pooled event distribution of weighted count vectors.</summary>
    public static double[] Distribution(IEnumerable<(float[] Counts, int Weight)> members, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(members);
        var totals = new double[vocabularySize];
        foreach (var (counts, weight) in members)
        {
            for (var e = 0; e < vocabularySize; e++) totals[e] += counts[e] * (double)weight;
        }
        var sum = totals.Sum();
        if (sum > 0) for (var e = 0; e < vocabularySize; e++) totals[e] /= sum;
        return totals;
    }
}
