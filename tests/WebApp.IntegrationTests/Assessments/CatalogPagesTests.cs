using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Assessments.Catalog;

namespace WebApp.IntegrationTests.Assessments;

public partial class CatalogPagesTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private async Task<AssessmentCatalog> BuiltInRowAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.AssessmentCatalogs.AsNoTracking().SingleAsync(c => c.Key == BuiltInCatalog.Key && c.IsBuiltIn);
    }

    [Fact]
    public async Task The_web_start_imports_the_built_in_catalog_once()
    {
        var row = await BuiltInRowAsync();

        var again = await app.Services.GetRequiredService<CatalogImporter>().ImportBuiltInAsync();

        Assert.Equal(("1.0", "system:catalog"), (row.Version, row.ImportedByName));
        Assert.False(again.Imported);
        Assert.Equal(row.Id, again.Catalog.Id);
    }

    [Fact]
    public async Task An_admin_sees_the_catalog_list_with_the_import_panel_and_the_catalog_tree_with_its_credit()
    {
        var row = await BuiltInRowAsync();
        var client = await app.ClientAsync("admin@demo.local");

        var list = await client.GetStringAsync("/assessments/catalogs");
        var tree = await client.GetStringAsync($"/assessments/catalogs/{row.Id}");

        Assert.Contains("AI trustworthiness assessment catalog", list, StringComparison.Ordinal);
        Assert.Contains($"href=\"assessments/catalogs/{row.Id}\"", list, StringComparison.Ordinal);
        Assert.Contains("id=\"catalog-import\"", list, StringComparison.Ordinal);
        Assert.Contains("Fraunhofer IAIS AI Assessment Catalog", tree, StringComparison.Ordinal);
        foreach (var dimension in new[] { "Fairness", "Autonomy and Control", "Transparency", "Reliability", "Safety and Security", "Data Protection" })
        {
            Assert.Contains(dimension, tree, StringComparison.Ordinal);
        }
        Assert.Contains("Cross-dimensional assessment", tree, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_an_item_opens_its_dimension_and_risk_area_and_highlights_it()
    {
        var row = await BuiltInRowAsync();
        var client = await app.ClientAsync("auditor@demo.local");

        var closed = await client.GetStringAsync($"/assessments/catalogs/{row.Id}");
        var focused = await client.GetStringAsync($"/assessments/catalogs/{row.Id}?item=RE-R-SC-CR-01");

        Assert.DoesNotContain("mud-panel-expanded", closed, StringComparison.Ordinal);
        Assert.DoesNotContain("catalog-item-focus", closed, StringComparison.Ordinal);
        Assert.Equal(["RE", "RE-R-SC"], ExpandedPanels().Matches(focused).Select(m => m.Groups[1].Value));
        Assert.Contains("class=\"catalog-item catalog-item-focus py-2\" data-item=\"RE-R-SC-CR-01\"", focused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_assessee_may_browse_catalogs_but_is_not_offered_the_import()
    {
        var client = await app.ClientAsync("assessee@demo.local");

        var list = await client.GetStringAsync("/assessments/catalogs");

        Assert.Contains("AI trustworthiness assessment catalog", list, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"catalog-import\"", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_catalog_says_so()
    {
        var client = await app.ClientAsync("auditor@demo.local");

        var page = await client.GetStringAsync("/assessments/catalogs/999999");

        Assert.Contains("No such catalog", page, StringComparison.Ordinal);
    }

    /// <summary>The dimension or risk area of each expanded panel, in page order.</summary>
    [GeneratedRegex("data-(?:dimension|risk-area)=\"([^\"]+)\" class=\"mud-expand-panel mud-panel-expanded")]
    private static partial Regex ExpandedPanels();
}
