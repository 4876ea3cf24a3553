using System.Text.Json;
using WebApp.Workers.RelationExtraction;

namespace WebApp.Workers.Tests.RelationExtraction;

public class RelationMetricsTests
{
    private static readonly string[] Relations = ["NA", "A", "B"];
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    // Bags and gold:  p1 [NA .05, A .9, B .05] gold {A};  p2 [.1, .3, .6] gold {A};  p3 [.7, .2, .1] gold {NA};
    // p4 is not scored but has the fact B (it still counts against recall).
    // Ranked (pair, relation ≠ NA): p1A .9 ✓, p2B .6 ✗, p2A .3 ✓, p3A .2 ✗, p3B .1 ✗, p1B .05 ✗; 3 facts.
    //   precision 1, 1/2, 2/3, 1/2, 2/5, 1/3;  recall 1/3, 1/3, 2/3, 2/3, 2/3, 2/3
    //   AUC (trapezoids, from the first point) = (2/3 − 1/3)·(1/2 + 2/3)/2 = 7/36
    //   F1: 1/2, 2/5, 2/3, 4/7, 1/2, 4/9 → max 2/3 at score .3 (P = R = 2/3)
    //   mean precision = (1 + .5 + 2/3 + .5 + .4 + 1/3)/6 = 3.4/6
    // Argmax per bag: p1 → A (gold A ✓), p2 → B (gold A: B false positive, A missed), p3 → NA.
    //   A: tp 1, predicted 1, support 2 → P 1, R 1/2, F1 2/3.  B: tp 0, predicted 1, support 0 → 0.
    //   micro over A, B: tp 1, predicted 2, support 2 → P = R = F1 = 1/2.
    private static RelationEvaluation Example()
    {
        BagScores[] bags =
        [
            new("p1", [0.05f, 0.9f, 0.05f]),
            new("p2", [0.1f, 0.3f, 0.6f]),
            new("p3", [0.7f, 0.2f, 0.1f]),
        ];
        var gold = new Dictionary<string, HashSet<int>>
        {
            ["p1"] = [1],
            ["p2"] = [1],
            ["p3"] = [0],
            ["p4"] = [2],
        };
        return RelationMetrics.HeldOut(bags, gold, Relations);
    }

    [Fact]
    public void Held_out_ranking_gives_the_hand_computed_curve_auc_and_max_f1()
    {
        var e = Example();

        Assert.Equal(3, e.Facts);
        Assert.Equal(6, e.Predictions);
        Assert.Equal(7.0 / 36, e.Auc, 6);
        Assert.Equal(2.0 / 3, e.MaxF1, 6);
        Assert.Equal(2.0 / 3, e.MaxF1Precision, 6);
        Assert.Equal(2.0 / 3, e.MaxF1Recall, 6);
        Assert.Equal(0.3, e.MaxF1Threshold, 6);
        Assert.Equal(3.4 / 6, e.MeanPrecision, 6);
        Assert.Null(e.PrecisionAt100);
        Assert.Equal(new[] { 1, 1.0 / 2, 2.0 / 3, 1.0 / 2, 2.0 / 5, 1.0 / 3 }, e.PrCurve.Select(p => p.Precision).ToArray(), new RoundedComparer());
        Assert.Equal(new[] { 1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3, 2.0 / 3, 2.0 / 3 }, e.PrCurve.Select(p => p.Recall).ToArray(), new RoundedComparer());
    }

    [Fact]
    public void Per_relation_scores_judge_each_bag_by_its_top_relation()
    {
        var e = Example();

        var a = e.PerRelation.Single(r => r.Relation == "A");
        Assert.Equal((1.0, 0.5, 2, 1), (a.Precision, a.Recall, a.Support, a.Predicted));
        Assert.Equal(2.0 / 3, a.F1, 6);
        var b = e.PerRelation.Single(r => r.Relation == "B");
        Assert.Equal((0.0, 0.0, 0.0, 0, 1), (b.Precision, b.Recall, b.F1, b.Support, b.Predicted));
        Assert.Equal(0.5, e.BagMicroPrecision, 6);
        Assert.Equal(0.5, e.BagMicroRecall, 6);
        Assert.Equal(0.5, e.BagMicroF1, 6);
    }

    [Fact]
    public void Precision_at_n_is_the_precision_of_the_top_n()
    {
        // 150 bags with one relation; the first 120 by score are facts, then 30 are not; 130 facts in all.
        var bags = Enumerable.Range(0, 150).Select(i => new BagScores($"p{i}", [0, 1f - i / 1000f])).ToList();
        var gold = Enumerable.Range(0, 130).ToDictionary(i => $"p{(i < 120 ? i : 1000 + i)}", _ => new HashSet<int> { 1 });

        var e = RelationMetrics.HeldOut(bags, gold, ["NA", "A"]);

        Assert.Equal(1.0, e.PrecisionAt100);
        Assert.Null(e.PrecisionAt200);
        // max F1 at the 120th: P = 1, R = 120/130 → F1 = 2·120/250
        Assert.Equal(240.0 / 250, e.MaxF1, 6);
    }

    [Fact]
    public void The_curve_is_cut_to_200_points_keeping_both_ends()
    {
        var bags = Enumerable.Range(0, 1000).Select(i => new BagScores($"p{i}", [0, 1f - i / 2000f])).ToList();
        var gold = Enumerable.Range(0, 1000).Where(i => i % 2 == 0).ToDictionary(i => $"p{i}", _ => new HashSet<int> { 1 });

        var e = RelationMetrics.HeldOut(bags, gold, ["NA", "A"]);

        Assert.Equal(200, e.PrCurve.Count);
        Assert.Equal(1.0, e.PrCurve[0].Precision);
        Assert.Equal(1.0, e.PrCurve[^1].Recall);
        Assert.Equal(0.5, e.PrCurve[^1].Precision);
    }

    [Fact]
    public void Sentence_level_scores_leave_NA_out_of_the_micro_average()
    {
        // pred 1 2 0 1 0, gold 1 1 0 2 2
        //   A: tp 1 (#0), predicted 2 (#0, #3), support 2 (#0, #1) → P = R = F1 = 1/2
        //   B: tp 0, predicted 1 (#1), support 2 (#3, #4) → 0
        //   micro: tp 1, predicted 3, support 4 → P 1/3, R 1/4, F1 = 2·(1/12)/(7/12) = 2/7; accuracy 2/5
        var s = RelationMetrics.Sentences([1, 2, 0, 1, 0], [1, 1, 0, 2, 2], Relations);

        Assert.Equal(1.0 / 3, s.MicroPrecision, 6);
        Assert.Equal(0.25, s.MicroRecall, 6);
        Assert.Equal(2.0 / 7, s.MicroF1, 6);
        Assert.Equal(0.4, s.Accuracy, 6);
        var a = s.PerRelation.Single(r => r.Relation == "A");
        Assert.Equal((0.5, 0.5, 0.5, 2, 2), (a.Precision, a.Recall, a.F1, a.Support, a.Predicted));
        var b = s.PerRelation.Single(r => r.Relation == "B");
        Assert.Equal((0.0, 0.0, 2, 1), (b.F1, b.Recall, b.Support, b.Predicted));
    }

    [Fact]
    public void The_evaluation_serialises_to_camel_case_json()
    {
        var json = JsonSerializer.Serialize(Example(), Web);

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(7.0 / 36, doc.RootElement.GetProperty("auc").GetDouble(), 6);
        Assert.Equal(6, doc.RootElement.GetProperty("prCurve").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("precisionAt100").ValueKind);
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-6;
        public int GetHashCode(double obj) => 0;
    }
}
