namespace WebApp.Domain.RelationExtraction.ActiveLearning;

/// <summary>
/// Chooses a batch of items to label. Pure and deterministic: ties are broken by id (smaller first), and
/// <see cref="QueryStrategy.Random"/> draws from a <see cref="System.Random"/> seeded with the given seed over the
/// pool sorted by id. The pool is what may be asked: already-labelled items are the caller's to leave out, either
/// by not passing them or through the <c>exclude</c> overload.
/// </summary>
public static class QueryStrategies
{
    /// <summary>DiverseMargin looks at this many times the batch size of the smallest-margin items.</summary>
    public const int DiversePoolFactor = 5;

    /// <summary>Names used on the command line and in job parameters.</summary>
    public static readonly IReadOnlyDictionary<string, QueryStrategy> Names = new Dictionary<string, QueryStrategy>(StringComparer.OrdinalIgnoreCase)
    {
        ["random"] = QueryStrategy.Random,
        ["least-confidence"] = QueryStrategy.LeastConfidence,
        ["margin"] = QueryStrategy.Margin,
        ["entropy"] = QueryStrategy.Entropy,
        ["diverse"] = QueryStrategy.DiverseMargin,
    };

    /// <summary>The command-line name of a strategy (the inverse of <see cref="Names"/>).</summary>
    public static string Name(QueryStrategy strategy) => Names.First(kv => kv.Value == strategy).Key;

    /// <summary>The ids of at most <paramref name="batchSize"/> items of <paramref name="pool"/>, best first.</summary>
    public static IReadOnlyList<long> Select(IReadOnlyList<PoolItem> pool, QueryStrategy strategy, int batchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        if (batchSize == 0 || pool.Count == 0) return [];
        var byId = pool.OrderBy(p => p.Id).ToArray();
        switch (strategy)
        {
            case QueryStrategy.Random:
                var shuffled = byId.Select(p => p.Id).ToArray();
                new Random(seed).Shuffle(shuffled);
                return shuffled.Take(batchSize).ToList();
            case QueryStrategy.LeastConfidence:
                return byId.OrderByDescending(p => LeastConfidence(p.Probabilities)).Take(batchSize).Select(p => p.Id).ToList();
            case QueryStrategy.Margin:
                return byId.OrderBy(p => Margin(p.Probabilities)).Take(batchSize).Select(p => p.Id).ToList();
            case QueryStrategy.Entropy:
                return byId.OrderByDescending(p => Entropy(p.Probabilities)).Take(batchSize).Select(p => p.Id).ToList();
            case QueryStrategy.DiverseMargin:
                return DiverseMargin(byId, batchSize);
            default:
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown query strategy.");
        }
    }

    /// <summary>As <see cref="Select(IReadOnlyList{PoolItem}, QueryStrategy, int, int)"/>, leaving out the ids in <paramref name="exclude"/>.</summary>
    public static IReadOnlyList<long> Select(IReadOnlyList<PoolItem> pool, ISet<long> exclude, QueryStrategy strategy, int batchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(exclude);
        return Select(pool.Where(p => !exclude.Contains(p.Id)).ToList(), strategy, batchSize, seed);
    }

    /// <summary>1 − max p.</summary>
    public static double LeastConfidence(IReadOnlyList<float> p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return p.Count == 0 ? 0 : 1 - p.Max();
    }

    /// <summary>The best probability minus the second best (the best itself when there is only one).</summary>
    public static double Margin(IReadOnlyList<float> p)
    {
        ArgumentNullException.ThrowIfNull(p);
        double first = double.NegativeInfinity, second = double.NegativeInfinity;
        foreach (var v in p)
        {
            if (v > first)
            {
                second = first;
                first = v;
            }
            else if (v > second)
            {
                second = v;
            }
        }
        if (double.IsNegativeInfinity(first)) return 0;
        return double.IsNegativeInfinity(second) ? first : first - second;
    }

    /// <summary>−Σ p ln p (natural log; zero probabilities contribute nothing).</summary>
    public static double Entropy(IReadOnlyList<float> p)
    {
        ArgumentNullException.ThrowIfNull(p);
        double h = 0;
        foreach (var v in p) if (v > 0) h -= v * Math.Log(v);
        return h;
    }

    private static List<long> DiverseMargin(PoolItem[] byId, int batchSize)
    {
        var candidates = byId.OrderBy(p => Margin(p.Probabilities)).Take(DiversePoolFactor * batchSize).ToArray();
        if (candidates.Any(c => c.Representation is null))
            throw new ArgumentException("DiverseMargin needs every item's representation.", nameof(byId));
        var chosen = new List<long> { candidates[0].Id };
        // Distance of every candidate to its nearest chosen item; chosen ones are marked with −1.
        var nearest = new double[candidates.Length];
        for (var i = 0; i < candidates.Length; i++) nearest[i] = Distance(candidates[i].Representation!, candidates[0].Representation!);
        nearest[0] = -1;
        while (chosen.Count < Math.Min(batchSize, candidates.Length))
        {
            var best = -1;
            for (var i = 0; i < candidates.Length; i++)
            {
                if (nearest[i] < 0) continue;
                // Farthest first; equal distances go to the smaller margin, then the smaller id (the candidates' order).
                if (best < 0 || nearest[i] > nearest[best]) best = i;
            }
            chosen.Add(candidates[best].Id);
            var added = candidates[best].Representation!;
            nearest[best] = -1;
            for (var i = 0; i < candidates.Length; i++)
                if (nearest[i] >= 0) nearest[i] = Math.Min(nearest[i], Distance(candidates[i].Representation!, added));
        }
        return chosen;
    }

    private static double Distance(float[] a, float[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Representations differ in length ({a.Length} and {b.Length}).");
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }
}
