namespace WebApp.Workers.RelationExtraction;

/// <summary>Held-out and sentence-level metrics for relation extraction (plain C#, no TorchSharp).</summary>
public static class RelationMetrics
{
    public const int MaxCurvePoints = 200;

    /// <summary>Gold relations per pair (NA included where a pair's sentence says so).</summary>
    public static Dictionary<string, HashSet<int>> GoldLabels(IEnumerable<RelationExample> examples)
    {
        var gold = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var e in examples)
        {
            if (!gold.TryGetValue(e.BagKey, out var set)) gold[e.BagKey] = set = [];
            set.Add(e.Label);
        }
        return gold;
    }

    /// <summary>
    /// Ranks every (bag, relation ≠ NA) by score (descending; ties keep bag order, then relation order) and
    /// compares with the facts: the (pair, relation ≠ NA) entries of <paramref name="gold"/>, including pairs
    /// that were not scored (they count against recall).
    /// </summary>
    public static RelationEvaluation HeldOut(
        IReadOnlyList<BagScores> bags, IReadOnlyDictionary<string, HashSet<int>> gold, IReadOnlyList<string> relations,
        SentenceEvaluation? sentences = null)
    {
        var facts = gold.Sum(kv => kv.Value.Count(r => r != 0));
        var ranked = new List<(double Score, bool Correct)>(bags.Count * Math.Max(0, relations.Count - 1));
        foreach (var bag in bags)
        {
            gold.TryGetValue(bag.BagKey, out var labels);
            for (var r = 1; r < relations.Count; r++)
                ranked.Add((bag.Probabilities[r], labels?.Contains(r) ?? false));
        }
        var order = Enumerable.Range(0, ranked.Count).OrderByDescending(i => ranked[i].Score).ToArray(); // stable
        var precision = new double[order.Length];
        var recall = new double[order.Length];
        var correct = 0;
        double maxF1 = 0, maxF1P = 0, maxF1R = 0, maxF1T = order.Length > 0 ? ranked[order[0]].Score : 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (ranked[order[i]].Correct) correct++;
            precision[i] = (double)correct / (i + 1);
            recall[i] = facts == 0 ? 0 : (double)correct / facts;
            var f1 = F1(precision[i], recall[i]);
            if (f1 > maxF1)
            {
                (maxF1, maxF1P, maxF1R, maxF1T) = (f1, precision[i], recall[i], ranked[order[i]].Score);
            }
        }

        var curve = new List<PrPoint>();
        var step = Math.Max(1, order.Length <= MaxCurvePoints ? 1 : (order.Length - 1) / (double)(MaxCurvePoints - 1));
        for (var k = 0; k < Math.Min(order.Length, MaxCurvePoints); k++)
        {
            var i = order.Length <= MaxCurvePoints ? k : (int)Math.Round(k * step);
            curve.Add(new PrPoint(recall[i], precision[i], ranked[order[i]].Score));
        }

        var (perRelation, microP, microR, microF1) = ArgmaxDecision(bags, gold, relations);
        return new RelationEvaluation(
            bags.Count, facts, order.Length, Auc(recall, precision),
            PrecisionAt(precision, 100), PrecisionAt(precision, 200), PrecisionAt(precision, 300),
            precision.Length == 0 ? 0 : precision.Average(),
            maxF1, maxF1P, maxF1R, maxF1T, microP, microR, microF1, perRelation, curve, sentences);
    }

    /// <summary>Trapezoidal area under the points in the given order, as sklearn.metrics.auc.</summary>
    public static double Auc(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double area = 0;
        for (var i = 1; i < x.Count; i++) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        return area;
    }

    /// <summary>Sentence-level scores: micro P/R/F1 over relations other than NA, and per relation.</summary>
    public static SentenceEvaluation Sentences(IReadOnlyList<int> predicted, IReadOnlyList<int> gold, IReadOnlyList<string> relations)
    {
        if (predicted.Count != gold.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {gold.Count} gold labels.", nameof(predicted));
        var n = relations.Count;
        var tp = new int[n];
        var support = new int[n];
        var predictedCount = new int[n];
        var agree = 0;
        for (var i = 0; i < gold.Count; i++)
        {
            support[gold[i]]++;
            predictedCount[predicted[i]]++;
            if (predicted[i] == gold[i])
            {
                tp[gold[i]]++;
                agree++;
            }
        }
        var perRelation = PerRelation(relations, tp, support, predictedCount);
        var (p, r, f) = Micro(tp, support, predictedCount);
        return new SentenceEvaluation(gold.Count, gold.Count == 0 ? 0 : (double)agree / gold.Count, p, r, f, perRelation);
    }

    private static (List<RelationPrf>, double, double, double) ArgmaxDecision(
        IReadOnlyList<BagScores> bags, IReadOnlyDictionary<string, HashSet<int>> gold, IReadOnlyList<string> relations)
    {
        var n = relations.Count;
        var tp = new int[n];
        var support = new int[n];
        var predictedCount = new int[n];
        foreach (var bag in bags)
        {
            var best = 0;
            for (var r = 1; r < n; r++)
                if (bag.Probabilities[r] > bag.Probabilities[best]) best = r;
            predictedCount[best]++;
            if (gold.TryGetValue(bag.BagKey, out var labels))
            {
                foreach (var r in labels) support[r]++;
                if (labels.Contains(best)) tp[best]++;
            }
            else
            {
                support[0]++;
                if (best == 0) tp[0]++;
            }
        }
        var (p, rec, f) = Micro(tp, support, predictedCount);
        return (PerRelation(relations, tp, support, predictedCount), p, rec, f);
    }

    private static List<RelationPrf> PerRelation(IReadOnlyList<string> relations, int[] tp, int[] support, int[] predicted)
    {
        var list = new List<RelationPrf>(relations.Count - 1);
        for (var r = 1; r < relations.Count; r++)
        {
            var p = predicted[r] == 0 ? 0 : (double)tp[r] / predicted[r];
            var rec = support[r] == 0 ? 0 : (double)tp[r] / support[r];
            list.Add(new RelationPrf(relations[r], r, p, rec, F1(p, rec), support[r], predicted[r]));
        }
        return list;
    }

    private static (double P, double R, double F1) Micro(int[] tp, int[] support, int[] predicted)
    {
        int t = 0, s = 0, pr = 0;
        for (var r = 1; r < tp.Length; r++)
        {
            t += tp[r];
            s += support[r];
            pr += predicted[r];
        }
        var p = pr == 0 ? 0 : (double)t / pr;
        var rec = s == 0 ? 0 : (double)t / s;
        return (p, rec, F1(p, rec));
    }

    private static double F1(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);

    private static double? PrecisionAt(double[] precision, int n) => precision.Length >= n ? precision[n - 1] : null;
}
