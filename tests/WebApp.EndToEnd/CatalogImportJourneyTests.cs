using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WebApp.Domain.Assessments.Catalog;

namespace WebApp.EndToEnd;

public sealed class CatalogImportJourneyTests(RunningApp app) : IClassFixture<RunningApp>, IDisposable
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("e2e-catalogs");

    public void Dispose() => _files.Delete(recursive: true);

    /// <summary>The built-in catalog file with a change, saved under <paramref name="name"/>.</summary>
    private async Task<string> BuiltInWithAsync(string name, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(BuiltInCatalog.Read())!.AsObject();
        change(root);
        var path = Path.Combine(_files.FullName, name);
        await File.WriteAllTextAsync(path, root.ToJsonString());
        return path;
    }

    [Fact]
    public async Task An_admin_sees_every_error_of_a_bad_catalog_then_imports_a_new_version_and_browses_its_measures()
    {
        var broken = await BuiltInWithAsync("broken.json", root =>
        {
            root["version"] = "1.1";
            root["dimensions"]![3]!["riskAreas"]![0]!["requirements"]![4]!["stage"] = 9;
            root["dimensions"]![0]!["riskAreas"]![1]!["requirements"]![0]!.AsObject().Remove("text");
        });
        var newVersion = await BuiltInWithAsync("catalog-1.1.json", root => root["version"] = "1.1");
        var page = await app.SignInAsync("admin@demo.local", "/assessments/catalogs");
        await page.WaitForSelectorAsync("#catalog-list");
        Assert.Equal(1, await page.Locator("#catalog-list tbody tr").CountAsync());

        await page.Locator("#catalog-file").SetInputFilesWhenReadyAsync(broken);
        await page.WaitForSelectorAsync("#import-errors");
        var errors = await page.Locator("[data-testid='import-error']").AllInnerTextsAsync();
        Assert.Equal(2, errors.Count);
        Assert.Contains("(FN-R-CD-RI-01): 'text' is missing.", errors[0], StringComparison.Ordinal);
        Assert.Contains("(RE-R-SC-ME-01): stage 9 is not one of the catalog's life-cycle stages (1, 2, 3, 4).", errors[1], StringComparison.Ordinal);
        await RunningApp.ScreenshotAsync(page, "catalog-import-errors");

        await page.Locator("#catalog-file").SetInputFilesWhenReadyAsync(newVersion);
        await page.WaitForSelectorAsync("#import-outcome:has-text('Imported version 1.1')");
        Assert.Equal(2, await page.Locator("#catalog-list tbody tr").CountAsync());
        await page.Locator("#catalog-file").SetInputFilesWhenReadyAsync(newVersion);
        await page.WaitForSelectorAsync("#import-outcome:has-text('already imported')");
        await RunningApp.ScreenshotAsync(page, "catalog-list");

        await page.ClickAsync("#imported-catalog-link");
        await page.WaitForSelectorAsync("#catalog-version:has-text('version 1.1')");
        await page.WaitUntilInteractiveAsync();
        await page.ClickAsync("[data-dimension='RE'] .mud-expand-panel-header");
        await page.ClickAsync("[data-risk-area='RE-R-SC'] .mud-expand-panel-header");
        var measure = page.Locator("[data-item='RE-R-SC-ME-04']");
        await measure.WaitForAsync();
        Assert.Contains("Development of the AI component", await measure.Locator("[data-stage='2']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Test report", await measure.Locator("[data-evidence='Te']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("confidence intervals", await measure.InnerTextAsync(), StringComparison.Ordinal);
        await RunningApp.ScreenshotAsync(page, "catalog-tree");
    }
}
