using System.Globalization;
using Microsoft.Playwright;
using WebApp.Testing;

namespace WebApp.EndToEnd;

public sealed class RelationExtractionJourneyTests(RunningApp app) : IClassFixture<RunningApp>, IDisposable
{
    private static readonly PageWaitForSelectorOptions Within120Seconds = new() { Timeout = 120_000 };
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("e2e-relations");

    public void Dispose() => _files.Delete(recursive: true);

    [Fact]
    public async Task An_admin_imports_a_knowledge_base_and_sentences_trains_on_the_worker_and_sees_the_metrics()
    {
        SyntheticRelations.WriteFiles(_files.FullName);
        var page = await app.SignInAsync("admin@demo.local", "/relations");

        await page.ClickAsync("#new-project");
        await page.FillAsync("#project-name", "Synthetic people");
        await page.PressAsync("#project-name", "Enter");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/relations/\d+$"));
        var projectId = int.Parse(page.Url.Split('/')[^1], CultureInfo.InvariantCulture);

        await ImportAsync(page, projectId, "KnowledgeBase", "kb.tsv");
        await ImportAsync(page, projectId, "OpenNre", "sentences.jsonl");
        await RunningApp.ScreenshotAsync(page, "relations-import");

        // Distant supervision has labelled the bags: the overview counts 180 candidates.
        await page.GotoAsync($"/relations/{projectId}");
        await page.WaitUntilInteractiveAsync();
        await page.WaitForSelectorAsync("#relation-statistics");
        Assert.Contains("born_in", await page.InnerTextAsync("#relation-statistics"), StringComparison.Ordinal);
        await RunningApp.ScreenshotAsync(page, "relations-overview");

        await page.GotoAsync($"/relations/{projectId}/models");
        await page.WaitUntilInteractiveAsync();
        await page.WaitForSelectorAsync("#training-form");
        await page.FillAsync("#train-epochs", "6");
        await page.FillAsync("#train-learning-rate", "0.01");
        await page.ClickAsync("#start-training");
        try
        {
            await page.WaitForSelectorAsync("[data-model-version]", Within120Seconds);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{await page.InnerTextAsync("body")}\n{app.Logs}", e);
        }
        await page.ClickAsync("[data-model-version]");
        await page.WaitForSelectorAsync("#pr-curve");
        await RunningApp.ScreenshotAsync(page, "relations-model");

        var auc = await app.Database.ScalarAsync<double>("SELECT \"HeldOutAuc\" FROM \"ModelVersions\"");
        Assert.True(auc > 0.5, $"held-out AUC {auc}");
        var predictions = await app.Database.ScalarAsync<long>("SELECT count(*) FROM \"Predictions\"");
        Assert.Equal(180, predictions);
        Assert.Contains(auc.ToString("F3", CultureInfo.InvariantCulture), await page.InnerTextAsync("#model-detail"), StringComparison.Ordinal);
    }

    private async Task ImportAsync(IPage page, int projectId, string format, string file)
    {
        await page.GotoAsync($"/relations/{projectId}/import");
        await page.WaitUntilInteractiveAsync();
        await page.ClickAsync($"#import-format-{format}");
        // The upload slot is rebuilt for the chosen format: wait for it before handing it the file.
        await page.WaitForSelectorAsync($".format-option.selected [data-format='{format}']");
        await page.Locator("#import-file").SetInputFilesWhenReadyAsync(Path.Combine(_files.FullName, file));
        await page.WaitForSelectorAsync("[data-testid='uploaded-file']");
        await page.WaitForSelectorAsync("#start-import:not([disabled])");
        await page.ClickAsync("#start-import");
        try
        {
            await page.WaitForSelectorAsync("[data-import-status='Succeeded']", Within120Seconds);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{await page.InnerTextAsync("body")}\n{app.Logs}", e);
        }
    }
}
