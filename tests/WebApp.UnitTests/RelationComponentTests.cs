using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.ActiveLearning;
using WebApp.Web.RelationExtraction;
using WebApp.Web.RelationExtraction.Components;

namespace WebApp.UnitTests;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.")]
public sealed class RelationComponentTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public RelationComponentTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static readonly string[] Sentence = ["Steve", "Jobs", ",", "the", "head", "of", "Apple", "Inc", "."];

    [Fact]
    public void Learning_curves_parse_from_the_run_metrics_and_plot_mean_lines_with_min_max_bands()
    {
        const string metrics = """
            {"options":{"seeds":2},"poolCandidates":300,"trainExamples":320,"testExamples":90,"testGoldSentences":90,
             "curves":[{"strategy":"random","seed":1,"points":[{"round":0,"labels":0,"f1":0.2,"auc":0.3,"seconds":1}]}],
             "summary":[
               {"strategy":"random","points":[
                 {"labels":0,"meanF1":0.2,"minF1":0.1,"maxF1":0.3,"sdF1":0.1,"meanAuc":0.3,"minAuc":0.3,"maxAuc":0.3,"sdAuc":0},
                 {"labels":50,"meanF1":0.4,"minF1":0.35,"maxF1":0.45,"sdF1":0.05,"meanAuc":0.5,"minAuc":0.4,"maxAuc":0.6,"sdAuc":0.1}],
                "labelsToRandomF1":50,"labelsToRandomAuc":50},
               {"strategy":"margin","points":[
                 {"labels":0,"meanF1":0.2,"minF1":0.1,"maxF1":0.3,"sdF1":0.1,"meanAuc":0.3,"minAuc":0.3,"maxAuc":0.3,"sdAuc":0},
                 {"labels":50,"meanF1":0.6,"minF1":0.6,"maxF1":0.6,"sdF1":0,"meanAuc":0.7,"minAuc":0.7,"maxAuc":0.7,"sdAuc":0}],
                "labelsToRandomF1":25,"labelsToRandomAuc":20}],
             "headline":{"randomBudget":50,"randomFinalF1":0.4,"randomFinalAuc":0.5,"bestStrategy":"margin","bestLabels":25,"ratio":0.5},
             "seconds":12.5}
            """;

        var report = LearningCurveReport.Parse(metrics);
        Assert.NotNull(report);
        Assert.Equal((300, 0.5, "margin"), (report.PoolCandidates, report.Headline.Ratio, report.Headline.BestStrategy));
        Assert.Null(LearningCurveReport.Parse("""{"epochs":[1,2]}"""));
        Assert.Null(LearningCurveReport.Parse("not json"));

        var series = LearningCurvesPage.Series(report, p => (p.MeanF1, p.MinF1, p.MaxF1));
        var cut = _context.Render<LineChart>(p => p.Add(c => c.Series, series).Add(c => c.XMin, 0).Add(c => c.YMin, 0).Add(c => c.YMax, 1));

        Assert.Equal(["random", "margin"], cut.FindAll("polyline.chart-series").Select(l => l.GetAttribute("data-series") ?? "").ToArray());
        var band = cut.Find("polygon.chart-band[data-series=random]");
        // Upper edge left to right (0.3, 0.45), then the lower edge back (0.35, 0.1), on a 0–1 axis of 250 px from y = 260.
        var ys = band.GetAttribute("points")!.Split(' ').Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([185, 147.5, 172.5, 235], ys);

        // The y axis hugs the values (0.1 to 0.6 here, bands included) in steps of 0.05; flat curves get 0.1 of room.
        Assert.Equal((0.1, 0.6), LearningCurvesPage.AxisRange(series));
        Assert.Equal((0.9, 1.0), LearningCurvesPage.AxisRange([new ChartSeries("flat", [new ChartPoint(0, 1), new ChartPoint(10, 1)])]));
        Assert.Equal((0.0, 1.0), LearningCurvesPage.AxisRange([]));
    }

    [Fact]
    public void Sentence_view_marks_the_head_and_tail_tokens()
    {
        var cut = _context.Render<SentenceView>(p => p
            .Add(c => c.Tokens, Sentence)
            .Add(c => c.HeadStart, 0).Add(c => c.HeadEnd, 2)
            .Add(c => c.TailStart, 6).Add(c => c.TailEnd, 8)
            .Add(c => c.HeadLabel, "Steve Jobs").Add(c => c.TailLabel, "Apple Inc."));

        var head = cut.Find("mark[data-role=head]");
        var tail = cut.Find("mark[data-role=tail]");
        Assert.Equal("Steve Jobs", head.TextContent);
        Assert.Equal("Apple Inc", tail.TextContent);
        Assert.Equal("head entity: Steve Jobs", head.GetAttribute("aria-label"));
        Assert.Equal("tail entity: Apple Inc.", tail.GetAttribute("aria-label"));
        Assert.Contains("entity-head", head.ClassList);
        Assert.Contains("entity-tail", tail.ClassList);
        Assert.Equal("Steve Jobs , the head of Apple Inc .", Normalise(cut.Find(".sentence-view").TextContent));
    }

    [Fact]
    public void Sentence_view_handles_a_head_after_the_tail()
    {
        var cut = _context.Render<SentenceView>(p => p
            .Add(c => c.Tokens, ["In", "Chicago", ",", "Obama", "spoke", "."])
            .Add(c => c.HeadStart, 3).Add(c => c.HeadEnd, 4)
            .Add(c => c.TailStart, 1).Add(c => c.TailEnd, 2));

        var marks = cut.FindAll("mark");
        Assert.Equal(["tail", "head"], marks.Select(m => m.GetAttribute("data-role") ?? "").ToArray());
        Assert.Equal(["Chicago", "Obama"], marks.Select(m => m.TextContent).ToArray());
    }

    [Fact]
    public void Sentence_view_keeps_adjacent_spans_apart()
    {
        var segments = SentenceView.Segments(["Paris", "France", "is", "nice"], 0, 1, 1, 2);

        Assert.Equal(
            [(SentenceView.SpanRole.Head, "Paris"), (SentenceView.SpanRole.Tail, "France"), (SentenceView.SpanRole.None, "is nice")],
            segments.Select(s => (s.Role, s.Text)).ToArray());

        var cut = _context.Render<SentenceView>(p => p
            .Add(c => c.Tokens, ["Paris", "France", "is", "nice"])
            .Add(c => c.HeadStart, 0).Add(c => c.HeadEnd, 1)
            .Add(c => c.TailStart, 1).Add(c => c.TailEnd, 2));
        Assert.Equal(["Paris", "France"], cut.FindAll("mark").Select(m => m.TextContent).ToArray());
    }

    [Fact]
    public void Sentence_view_shows_a_legend_on_request()
    {
        var cut = _context.Render<SentenceView>(p => p.Add(c => c.Tokens, ["a"]).Add(c => c.ShowLegend, true));

        Assert.Contains("sentence-legend", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".sentence-view mark"));
    }

    [Fact]
    public void The_why_view_shades_each_token_by_its_pooling_wins_and_keeps_the_entities_marked()
    {
        short[] wins = [100, 20, 0, 0, 60, 2, 50, 10, 0];
        var cut = _context.Render<SentenceView>(p => p
            .Add(c => c.Tokens, Sentence)
            .Add(c => c.HeadStart, 0).Add(c => c.HeadEnd, 2)
            .Add(c => c.TailStart, 6).Add(c => c.TailEnd, 8)
            .Add(c => c.ShowLegend, true)
            .Add(c => c.TokenWins, wins));

        var tokens = cut.FindAll(".heat");
        Assert.Equal(Sentence, tokens.Select(t => t.TextContent).ToArray());
        Assert.Equal(["100", "20", "0", "0", "60", "2", "50", "10", "0"], tokens.Select(t => t.GetAttribute("data-wins") ?? "").ToArray());
        // Fifths of the strongest token: 100 → 5, 60 → 3, 50 → 3, 20 → 1, 2 → 1, 0 → unshaded.
        Assert.Equal([5, 1, 0, 0, 3, 1, 3, 1, 0], tokens.Select(t => HeatOf(t.ClassList)).ToArray());
        Assert.Equal("Steve Jobs", cut.Find("mark[data-role=head]").TextContent);
        Assert.Equal(2, cut.FindAll("mark[data-role=head] .heat").Count);
        Assert.Equal("Apple Inc", cut.Find("mark[data-role=tail]").TextContent);
        Assert.Contains("why", cut.Find(".sentence-view").ClassList);
        Assert.Contains("shaded by how many convolution filters took their maximum at the token (piecewise max pooling)",
            cut.Find("#why-legend").TextContent, StringComparison.Ordinal);
        Assert.Equal("Steve Jobs , the head of Apple Inc .", Normalise(cut.Find(".sentence-view").TextContent));
    }

    [Fact]
    public void Without_evidence_the_sentence_has_no_shading_and_no_why_legend()
    {
        var cut = _context.Render<SentenceView>(p => p.Add(c => c.Tokens, Sentence).Add(c => c.ShowLegend, true));

        Assert.Empty(cut.FindAll(".heat"));
        Assert.Empty(cut.FindAll("#why-legend"));
    }

    private static int HeatOf(AngleSharp.Dom.ITokenList classes) =>
        int.Parse(classes.Single(c => c.StartsWith("heat-", StringComparison.Ordinal))["heat-".Length..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Pr_curve_maps_recall_to_x_and_precision_to_y()
    {
        var cut = _context.Render<PrCurveChart>(p => p
            .Add(c => c.Curves, [new PrCurve("v1", [new PrPoint(0, 1), new PrPoint(0.5, 0.5), new PrPoint(1, 0)])]));

        // 480 × 320 with margins left 44, right 12, top 10, bottom 40: x = 44 + r·424, y = 280 − p·270.
        var line = cut.Find("#pr-curve polyline");
        Assert.Equal("44,10 256,145 468,280", line.GetAttribute("points"));
        Assert.Equal("v1", line.GetAttribute("data-series"));
        Assert.Contains("Recall", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Precision", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Pr_curve_overlays_several_curves_with_a_legend()
    {
        var cut = _context.Render<PrCurveChart>(p => p
            .Add(c => c.Curves, [
                new PrCurve("v1", [new PrPoint(0.1, 0.9), new PrPoint(0.2, 0.8)]),
                new PrCurve("v2", [new PrPoint(0.1, 0.95), new PrPoint(0.3, 0.7)]),
            ]));

        var lines = cut.FindAll("polyline");
        Assert.Equal(["v1", "v2"], lines.Select(l => l.GetAttribute("data-series") ?? "").ToArray());
        Assert.NotEqual(lines[0].GetAttribute("stroke"), lines[1].GetAttribute("stroke"));
        Assert.Equal(["v1", "v2"], cut.FindAll(".chart-legend-item").Select(i => i.TextContent.Trim()).ToArray());
    }

    [Fact]
    public void Pr_curve_without_points_shows_an_empty_state()
    {
        var cut = _context.Render<PrCurveChart>(p => p.Add(c => c.Curves, [new PrCurve("v1", [])]));

        Assert.Empty(cut.FindAll("figure.line-chart, polyline"));
        Assert.NotNull(cut.Find("[data-testid=empty-state]"));
        Assert.Contains("No precision-recall curve", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Bar_chart_scales_bars_to_the_largest_value()
    {
        var cut = _context.Render<BarChart>(p => p.Add(c => c.Items, [new BarItem("a", 50), new BarItem("b", 100)]));

        var widths = cut.FindAll(".bar-fill").Select(b => b.GetAttribute("style")!.Split(';')[0]).ToArray();
        Assert.Equal(["width: 50%", "width: 100%"], widths);
    }

    private static string Normalise(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Per_relation_scores_read_by_relation_name_with_the_key_set_apart()
    {
        var names = new Dictionary<string, string> { ["P36"] = "capital", ["NA"] = "no relation" };
        RelationScore[] scores = [new("P36", 0.5, 0.25, 0.333, 8), new("P17", 1, 1, 1, 2)];

        var table = _context.Render<ScoreTable>(p => p.Add(t => t.Scores, scores).Add(t => t.Names, names));

        var capital = table.Find("tr[data-relation='P36'] td");
        Assert.Equal("capital", capital.QuerySelector(".relation-name")!.TextContent);
        Assert.Equal("P36", capital.QuerySelector(".relation-key")!.TextContent);
        // A key the project does not name (an older version's relation) still shows, as the key.
        Assert.Equal("P17", table.Find("tr[data-relation='P17'] td .relation-name").TextContent);
    }
}
