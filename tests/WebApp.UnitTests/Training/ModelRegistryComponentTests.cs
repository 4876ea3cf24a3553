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
}
