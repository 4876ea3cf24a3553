namespace WebApp.Domain.RelationExtraction.Labeling;

/// <summary>
/// Chance-corrected agreement between experts on the items they both (all) labelled. Categories are relation
/// type ids. Null where κ is undefined: no items, or chance agreement of 1 (everybody always used one category).
/// </summary>
public static class Agreement
{
    /// <summary>Cohen's κ for two experts: (p_o − p_e) / (1 − p_e) over the items' (first, second) labels.</summary>
    public static double? CohensKappa(IReadOnlyList<(int First, int Second)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) return null;
        double n = pairs.Count;
        var observed = pairs.Count(p => p.First == p.Second) / n;
        var first = pairs.GroupBy(p => p.First).ToDictionary(g => g.Key, g => g.Count() / n);
        var second = pairs.GroupBy(p => p.Second).ToDictionary(g => g.Key, g => g.Count() / n);
        var expected = first.Sum(f => f.Value * second.GetValueOrDefault(f.Key));
        return Kappa(observed, expected);
    }

    /// <summary>
    /// Fleiss' κ for any number of experts: each item lists the categories its raters chose; every item needs the
    /// same number of ratings, at least two.
    /// </summary>
    public static double? FleissKappa(IReadOnlyList<IReadOnlyList<int>> ratings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        if (ratings.Count == 0) return null;
        var raters = ratings[0].Count;
        if (raters < 2 || ratings.Any(r => r.Count != raters))
        {
            throw new ArgumentException("Every item needs the same number of ratings, at least two.", nameof(ratings));
        }
        double items = ratings.Count;
        var totals = new Dictionary<int, double>();
        var agreement = 0.0;
        foreach (var item in ratings)
        {
            var counts = item.GroupBy(c => c).Select(g => (g.Key, Count: (double)g.Count())).ToList();
            agreement += (counts.Sum(c => c.Count * c.Count) - raters) / (raters * (raters - 1.0));
            foreach (var (category, count) in counts) totals[category] = totals.GetValueOrDefault(category) + count;
        }
        var observed = agreement / items;
        var expected = totals.Values.Sum(t => Math.Pow(t / (items * raters), 2));
        return Kappa(observed, expected);
    }

    /// <summary>Cohen's κ per relation, each relation against all others (binary: this relation or not).</summary>
    public static IReadOnlyDictionary<int, double?> CohensKappaPerRelation(IReadOnlyList<(int First, int Second)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return pairs.SelectMany(p => new[] { p.First, p.Second }).Distinct().Order()
            .ToDictionary(r => r, r => CohensKappa([.. pairs.Select(p => (p.First == r ? 1 : 0, p.Second == r ? 1 : 0))]));
    }

    /// <summary>Fleiss' κ per relation, each relation against all others.</summary>
    public static IReadOnlyDictionary<int, double?> FleissKappaPerRelation(IReadOnlyList<IReadOnlyList<int>> ratings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        return ratings.SelectMany(r => r).Distinct().Order()
            .ToDictionary(r => r, r => FleissKappa([.. ratings.Select(item => (IReadOnlyList<int>)[.. item.Select(c => c == r ? 1 : 0)])]));
    }

    private static double? Kappa(double observed, double expected) =>
        expected >= 1 - 1e-12 ? null : (observed - expected) / (1 - expected);
}
