using System.Globalization;
using Microsoft.Playwright;
using WebApp.Testing;
using Xunit.Abstractions;

namespace WebApp.EndToEnd;

/// <summary>The application for the training console journey: no automatic retraining to blur which run made which version.</summary>
public sealed class TrainingConsoleApp() : RunningApp(new Dictionary<string, string> { ["Relations__RetrainEveryLabels"] = "0" });

public sealed class TrainingConsoleJourneyTests(TrainingConsoleApp app, ITestOutputHelper output) : IClassFixture<TrainingConsoleApp>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task An_admin_schedules_relation_training_watches_its_progress_and_finds_the_new_version_in_the_registry()
    {
        int projectId;
        await using (var db = app.Database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db, "scheduled", 30);
        }
        var page = await app.SignInAsync("admin@demo.local", "/admin/training/new");

        // A recurring relation training: the form shows the job type's parameters with their defaults; the Admin picks
        // the project by name and sets epochs and patience; the cron shows its next runs.
        await page.ClickAsync(".mud-select:has(#job-kind)");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('relation-training')");
        await page.ClickAsync("[data-parameter='projectId'] .mud-select");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('scheduled')");
        foreach (var (name, value) in new[] { ("epochs", "100"), ("patience", "100") })
        {
            var input = page.Locator($"[data-parameter='{name}'] input");
            await input.FillAsync(value);
            await input.PressAsync("Tab");
        }
        Assert.Equal("att", await page.Locator("[data-parameter='aggregation'] input").InputValueAsync());
        await page.ClickAsync("text=Recurring (cron, UTC)");
        await page.FillAsync("#job-cron", "30 2 * * *");
        // The preview of the default cron is replaced once the server has the new expression.
        await Expect(async () => await page.Locator("#cron-next-runs li").AllInnerTextsAsync() is { Count: 5 } runs
            && runs.All(run => run.Contains("02:30", StringComparison.Ordinal)), "five next runs at 02:30");
        await RunningApp.ScreenshotAsync(page, "admin-schedule-form");
        await page.ClickAsync("#submit-job");

        var schedule = page.Locator("tr[data-schedule]");
        await schedule.WaitForAsync();
        var scheduleId = await schedule.GetAttributeAsync("data-schedule");
        Assert.Contains("30 2 * * *", await schedule.InnerTextAsync(), StringComparison.Ordinal);
        // Registered in Hangfire with that cron (its queue is checked in TrainingSchedulesTests).
        Assert.Equal("30 2 * * *", await app.Database.ScalarAsync<string>(
            $"SELECT value FROM hangfire.hash WHERE key = 'recurring-job:{scheduleId}' AND field = 'Cron'"));

        // Run it now: a worker fires the trigger, which starts the training run.
        await schedule.Locator(".run-schedule-now").ClickAsync();
        await page.GetByText("Fired: a worker starts the run").First.WaitForAsync(); // handled before the page is left
        await page.GotoAsync("/admin/training");
        await page.WaitUntilInteractiveAsync();
        var row = page.Locator("tr[data-kind='relation-training']");
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        Assert.Contains($"schedule {scheduleId} of admin@demo.local", await row.InnerTextAsync(), StringComparison.Ordinal);
        var runParameters = await app.Database.ScalarAsync<string>(
            $"SELECT \"Parameters\"::text FROM \"JobRuns\" WHERE \"Kind\" = 'relation-training'") ?? "";
        Assert.Contains($"\"projectId\": {projectId}", runParameters, StringComparison.Ordinal);
        Assert.Contains("\"epochs\": 100", runParameters, StringComparison.Ordinal);

        // The progress bar moves on the page as the worker reports, with no reload.
        var progressSeen = new SortedSet<double>();
        var devMetricSeen = false;
        var deadline = DateTime.UtcNow + Patience;
        string status;
        while ((status = await row.GetAttributeAsync("data-status") ?? "") is not ("Succeeded" or "Failed" or "Cancelled"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The run did not finish (last: {status}).\n{app.Logs}");
            if (status == "Running")
            {
                progressSeen.Add(double.Parse(await row.GetAttributeAsync("data-progress") ?? "0", CultureInfo.InvariantCulture));
                devMetricSeen |= (await row.Locator(".job-dev-metric").InnerTextAsync()).Contains("dev AUC", StringComparison.Ordinal);
            }
            await Task.Delay(100);
        }
        output.WriteLine($"Progress seen while running: {string.Join(", ", progressSeen)}");
        Assert.Equal("Succeeded", status);
        Assert.True(progressSeen.Count(p => p is > 0 and < 1) >= 2, $"The bar should move while running; saw {string.Join(", ", progressSeen)}.");
        Assert.True(devMetricSeen, "The dev AUC reported during training should be shown while running.");
        await RunningApp.ScreenshotAsync(page, "admin-training-scheduled");

        // The new version is in the registry, used for predictions as the project's first.
        var first = await app.Database.ScalarAsync<int>($"SELECT \"Id\" FROM \"ModelVersions\" WHERE \"ProjectId\" = {projectId}");
        await page.ClickAsync(".mud-navmenu a[href='admin/models']");
        var version = page.Locator($"tr[data-model='relation:{first}']");
        await version.WaitForAsync();
        Assert.Contains("scheduled", await version.InnerTextAsync(), StringComparison.Ordinal);
        await version.Locator("[data-active='true']").WaitForAsync();
        Assert.Equal($"api/models/relation/{first}/file", await version.Locator("a.download-model").GetAttributeAsync("href"));

        // The schedule fires once more; the second version is compared with the first, and the Admin switches to it.
        await page.GotoAsync("/admin/training/new");
        await page.WaitUntilInteractiveAsync();
        await page.Locator($"tr[data-schedule='{scheduleId}'] .run-schedule-now").ClickAsync();
        await page.GetByText("Fired: a worker starts the run").First.WaitForAsync();
        await Expect(async () => await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"ModelVersions\" WHERE \"ProjectId\" = {projectId}") == 2, "the second version");
        var second = await app.Database.ScalarAsync<int>($"SELECT max(\"Id\") FROM \"ModelVersions\" WHERE \"ProjectId\" = {projectId}");
        await page.GotoAsync("/admin/models");
        await page.WaitUntilInteractiveAsync();
        await page.Locator($"tr[data-model='relation:{first}'] .select-model input").CheckAsync();
        await page.Locator($"tr[data-model='relation:{second}'] .select-model input").CheckAsync();
        await page.ClickAsync("#compare-selected");
        await page.WaitForSelectorAsync("#compare-curves");
        Assert.True(await page.Locator("#compare-metrics tr[data-metric]").CountAsync() > 0);
        await RunningApp.ScreenshotAsync(page, "admin-model-compare");

        await page.GotoAsync("/admin/models");
        await page.WaitUntilInteractiveAsync();
        var secondRow = page.Locator($"tr[data-model='relation:{second}']");
        await secondRow.Locator(".use-for-predictions").ClickAsync();
        await page.ClickAsync(".mud-dialog button:has-text('Use it')");
        await secondRow.Locator("[data-active='true']").WaitForAsync();
        Assert.Equal(0, await page.Locator($"tr[data-model='relation:{first}'] [data-active='true']").CountAsync());
        Assert.Equal(second, await app.Database.ScalarAsync<int>($"SELECT \"ActiveModelVersionId\" FROM \"RelationProjects\" WHERE \"Id\" = {projectId}"));
        Assert.Equal(1L, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"AuditRecords\" WHERE \"Action\" = 'relations.model-activated' AND \"EntityId\" = '{projectId}' AND \"UserName\" = 'admin@demo.local'"));
        await RunningApp.ScreenshotAsync(page, "admin-model-registry");
    }

    [Fact]
    public async Task An_admin_cancels_a_running_training_and_the_worker_stops_it()
    {
        var page = await app.SignInAsync("admin@demo.local", "/admin/training");
        await page.FillAsync("#epochs", "100000");
        await page.ClickAsync("#start-demo-job");

        var row = page.Locator("tr[data-kind='demo-training'][data-status='Running']");
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var id = await row.GetAttributeAsync("data-job-run");
        await Expect(async () => double.Parse(await row.GetAttributeAsync("data-progress") ?? "0", CultureInfo.InvariantCulture) > 0, "a first progress report");
        await row.Locator(".cancel-job").ClickAsync();

        var cancelled = page.Locator($"tr[data-job-run='{id}'][data-status='Cancelled']");
        await cancelled.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Contains("Cancelled by admin@demo.local.", await cancelled.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("job.enqueued,job.cancel-requested", await app.Database.ScalarAsync<string>(
            $"SELECT string_agg(\"Action\", ',' ORDER BY \"Id\") FROM \"AuditRecords\" WHERE \"EntityId\" = '{id}'"));
        // The worker is free again: the run left Hangfire, so it is neither retried nor started again.
        Assert.Equal(0L, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM hangfire.job j JOIN \"JobRuns\" r ON r.\"HangfireJobId\" = j.id::text WHERE r.\"Id\" = '{id}' AND j.statename <> 'Deleted'"));
    }

    private async Task Expect(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.\n{app.Logs}");
            await Task.Delay(100);
        }
    }
}
