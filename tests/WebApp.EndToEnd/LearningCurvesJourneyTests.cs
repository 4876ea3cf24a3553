using Microsoft.Playwright;
using WebApp.Testing;

namespace WebApp.EndToEnd;

public sealed class LearningCurvesJourneyTests(RunningApp app) : IClassFixture<RunningApp>
{
    [Fact]
    public async Task An_admin_starts_a_simulation_the_worker_runs_it_and_the_curves_appear_with_their_headline()
    {
        int projectId;
        await using (var db = app.Database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db, "curves");
        }
        var page = await app.SignInAsync("admin@demo.local", $"/relations/{projectId}/learning-curves");
        await page.WaitForSelectorAsync("text=No simulation yet");

        // A small run: random and margin only, 2 seeds, 2 rounds of 6 labels, 10 epochs, the whole (tiny) pool.
        foreach (var strategy in new[] { "least confidence", "entropy", "diverse (k-center on uncertain)" })
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = strategy, Exact = true }).ClickAsync();
        }
        await page.FillAsync("#sim-seeds", "2");
        await page.FillAsync("#sim-rounds", "2");
        await page.FillAsync("#sim-batch", "6");
        await page.FillAsync("#sim-epochs", "10");
        await page.FillAsync("#sim-max-pool", "");
        await page.WaitForSelectorAsync("#sim-cost:has-text('10 trainings')");
        await page.ClickAsync("#start-simulation");
        try
        {
            // Pushed to the page when the worker finishes: no reload.
            await page.WaitForSelectorAsync("#learning-curves #curve-f1 polyline.chart-series", new PageWaitForSelectorOptions { Timeout = 120_000, State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{await page.InnerTextAsync("body")}\n{app.Logs}", e);
        }

        Assert.Equal(["random", "margin"], await page.Locator("#curve-f1 polyline.chart-series").EvaluateAllAsync<string[]>(
            "lines => lines.map(l => l.getAttribute('data-series'))"));
        Assert.Equal(2, await page.Locator("#curve-auc polygon.chart-band").CountAsync());
        // Random's budget; on this easy synthetic data its curve may already be flat, which the headline then says.
        Assert.Contains("12 labels", await page.InnerTextAsync("#headline"), StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator("#curve-table tbody tr").CountAsync());
        await RunningApp.ScreenshotAsync(page, "learning-curves");

        var stored = await app.Database.ScalarAsync<string>(
            "SELECT \"Status\" || ':' || \"Step\" || '/' || \"TotalSteps\" FROM \"JobRuns\" WHERE \"Kind\" = 'learning-curve'");
        Assert.Equal("Succeeded:10/10", stored);
    }
}
