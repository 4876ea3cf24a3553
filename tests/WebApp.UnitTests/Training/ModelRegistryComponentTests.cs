using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebApp.Web.Components;
using WebApp.Web.Training.Registry;

namespace WebApp.UnitTests.Training;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.")]
public sealed class ModelRegistryComponentTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public ModelRegistryComponentTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public void The_metric_table_shows_both_values_and_the_signed_difference_marked_by_whether_it_is_better()
    {
        MetricDifference[] metrics =
        [
            new("Held-out AUC", 0.6, 0.7, true),
            new("Training seconds", 12, 8, false),
            new("Gold F1", 0.5, 0.4, true),
            new("P@300", null, 0.8, true),
            new("Max F1", 0.5, 0.5, true),
        ];

        var table = _context.Render<MetricDifferenceTable>(p => p.Add(t => t.Metrics, metrics).Add(t => t.NameA, "v1").Add(t => t.NameB, "v2"));

        Assert.Equal(["Metric", "v1", "v2", "v2 − v1"], table.FindAll("thead th").Select(th => th.TextContent));
        string[] Cells(string metric) => [.. table.Find($"tr[data-metric='{metric}']").QuerySelectorAll("td").Select(td => td.TextContent.Trim())];
        Assert.Equal(["Held-out AUC", "0.600", "0.700", "+0.100"], Cells("Held-out AUC"));
        Assert.Equal("diff-up", table.Find("tr[data-metric='Held-out AUC'] td span").ClassName);
        // Fewer seconds is better: a fall is an improvement.
        Assert.Equal(["Training seconds", "12", "8", "−4"], Cells("Training seconds"));
        Assert.Equal("diff-up", table.Find("tr[data-metric='Training seconds'] td span").ClassName);
        Assert.Equal("diff-down", table.Find("tr[data-metric='Gold F1'] td span").ClassName);
        Assert.Equal(["P@300", "–", "0.800", "–"], Cells("P@300"));
        Assert.Equal("±0", Cells("Max F1")[3]);
        Assert.Empty(table.Find("tr[data-metric='Max F1'] td span").ClassList);
    }

    [Fact]
    public void The_setting_table_highlights_only_the_settings_that_differ()
    {
        var a = ModelComparison.Flatten("""{"learningRate":0.01,"epochs":5,"grid":[32,64],"layers":[{"size":8}],"name":"pcnn"}""", new() { ["device"] = "cpu" });
        var b = ModelComparison.Flatten("""{"learningRate":0.02,"epochs":5,"grid":[32,64],"layers":[{"size":16}],"name":"pcnn"}""", []);
        var settings = a.Keys.Union(b.Keys).Order(StringComparer.Ordinal).Select(k => new SettingDifference(k, a.GetValueOrDefault(k), b.GetValueOrDefault(k))).ToList();

        var table = _context.Render<SettingDifferenceTable>(p => p.Add(t => t.Settings, settings));

        Assert.Equal(["device", "layers[0].size", "learningRate"], table.FindAll("tr[data-differs='true']").Select(tr => tr.GetAttribute("data-setting")));
        Assert.Equal(["epochs", "grid", "name"], table.FindAll("tr[data-differs='false']").Select(tr => tr.GetAttribute("data-setting")));
        Assert.Equal("pcnn", a["name"]);
        Assert.Equal("[32,64]", a["grid"]);
        Assert.Equal("—", table.Find("tr[data-setting='device']").QuerySelectorAll("td")[2].TextContent);
    }

    [Theory]
    [InlineData("relation:12", ModelKind.Relation, 12)]
    [InlineData("Novelty:5", ModelKind.Novelty, 5)]
    public void Model_references_parse_and_print_as_in_urls(string text, ModelKind kind, int id)
    {
        Assert.True(ModelRef.TryParse(text, out var model));
        Assert.Equal(new ModelRef(kind, id), model);
        Assert.Equal(text.ToLowerInvariant(), model.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("relation")]
    [InlineData("relation:")]
    [InlineData("relation:-1")]
    [InlineData("topic:3")]
    public void Malformed_model_references_are_refused(string? text) => Assert.False(ModelRef.TryParse(text, out _));

    [Fact]
    public void A_relation_data_snapshot_names_each_relation_and_orders_numbers_by_value()
    {
        var names = new Dictionary<string, string> { ["NA"] = "no relation", ["P36"] = "capital", ["P17"] = "country" };
        RelationModelDetail Detail(int number, string snapshot) => new(
            new WebApp.Domain.RelationExtraction.ModelVersion { Number = number, DataSnapshot = snapshot }, "Demo", false, null)
        { RelationNames = names };
        var a = Detail(1, """{"bags":9,"trainPerRelation":[{"relation":"NA","examples":5},{"relation":"P36","examples":3},{"relation":"P17","examples":2}],"split":[{"n":1},{"n":2},{"n":3},{"n":4},{"n":5},{"n":6},{"n":7},{"n":8},{"n":9},{"n":10},{"n":11}]}""");
        var b = Detail(2, """{"bags":10,"trainPerRelation":[{"relation":"NA","examples":5},{"relation":"P17","examples":4},{"relation":"P36","examples":3},{"relation":"P99","examples":1}]}""");

        var snapshot = ModelComparison.Of(a, b).DataSnapshot;

        Assert.Equal((string?)"4", snapshot.Single(s => s.Key == "trainPerRelation.country (P17)").B);
        Assert.Equal((string?)"2", snapshot.Single(s => s.Key == "trainPerRelation.country (P17)").A);
        Assert.False(snapshot.Single(s => s.Key == "trainPerRelation.capital (P36)").Differs);
        Assert.Contains(snapshot, s => s.Key == "trainPerRelation.P99" && s.A is null);
        Assert.DoesNotContain(snapshot, s => s.Key.Contains(".relation", StringComparison.Ordinal));
        var splits = snapshot.Where(s => s.Key.StartsWith("split[", StringComparison.Ordinal)).Select(s => s.Key).ToList();
        Assert.Equal([.. Enumerable.Range(0, 11).Select(i => $"split[{i}].n")], splits);
    }

    [Fact]
    public void Natural_order_compares_digit_runs_by_value()
    {
        Assert.Equal(["Cluster 2", "Cluster 9", "Cluster 10", "x[1].a", "x[02].b", "x[10].a", "x[10].b"],
            ModelComparison.NaturalOrder(["x[10].b", "Cluster 10", "x[02].b", "Cluster 2", "x[1].a", "x[10].a", "Cluster 9"]));
    }
}
