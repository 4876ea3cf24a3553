using Microsoft.Playwright;
using WebApp.Testing;
using Xunit.Abstractions;

namespace WebApp.EndToEnd;

/// <summary>
/// The expert loop never makes the model worse and never waits behind a study: while a long job holds the worker's
/// ordinary slot, expert labels retrain on the slot kept for the loop; an admin's deliberately weak standing setting
/// then produces a version the worker keeps out, with the reason on the models page and in the registry.
/// </summary>
public sealed class PromotionJourneyTests(RunningApp app, ITestOutputHelper output) : IClassFixture<RunningApp>
{
    private static readonly PageWaitForSelectorOptions Within60Seconds = new() { Timeout = 60_000 };

    [Fact]
    public async Task A_weak_standing_setting_produces_a_version_that_is_not_promoted_and_a_long_study_does_not_hold_the_loop()
    {
        int projectId;
        await using (var db = app.Database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db, "promotion");
        }

        // A long job on the default queue: the one ordinary slot of the one worker is busy from here on.
        var admin = await app.SignInAsync("admin@demo.local", "/admin/training");
        await admin.FillAsync("#epochs", "100000");
        await admin.Keyboard.PressAsync("Tab");
        await admin.ClickAsync("#start-demo-job");
        await WaitForAsync("the long demo job to run", async () =>
            await app.Database.ScalarAsync<long>("SELECT count(*) FROM \"JobRuns\" WHERE \"Kind\" = 'demo-training' AND \"Status\" = 'Running'") == 1);

        // 20 expert labels (19 stored as a colleague's, the last typed by the expert) queue the first retraining.
        var expert = await app.SignInAsync("expert@demo.local", $"/relations/{projectId}/label");
        await LabelUpToThresholdAsync(projectId, expert);
        await WaitForAsync("the first retraining to finish", async () =>
            await app.Database.ScalarAsync<long>("SELECT count(*) FROM \"JobRuns\" WHERE \"Kind\" = 'relation-training' AND \"Status\" = 'Succeeded'") == 1,
            TimeSpan.FromSeconds(180));
        // It started within a minute of being queued, on the loop's slot, while the long job still ran.
        Assert.Equal("retrain:true:true", await app.Database.ScalarAsync<string>(
            "SELECT r.\"Queue\" || ':' || (r.\"StartedAt\" - r.\"CreatedAt\" < interval '60 seconds') || ':' || " +
            "EXISTS (SELECT 1 FROM \"JobRuns\" d WHERE d.\"Kind\" = 'demo-training' AND d.\"Status\" = 'Running') " +
            "FROM \"JobRuns\" r WHERE r.\"Kind\" = 'relation-training'"));
        Assert.Equal("1:promoted", await app.Database.ScalarAsync<string>(
            $"SELECT v.\"Number\" || ':' || coalesce(v.\"Promotion\", '-') FROM \"RelationProjects\" p JOIN \"ModelVersions\" v ON v.\"Id\" = p.\"ActiveModelVersionId\" WHERE p.\"Id\" = {projectId}"));

        // The admin makes the standing setting deliberately weak: one epoch, one batch, a learning rate that learns nothing.
        await admin.GotoAsync($"/relations/{projectId}/models");
        await admin.WaitUntilInteractiveAsync();
        await admin.WaitForSelectorAsync("#standing-training #standing-is-default");
        await SetNumberAsync(admin, "epochs", "1");
        await SetNumberAsync(admin, "learningRate", "0.000001");
        await SetNumberAsync(admin, "batchSize", "10000");
        await SetNumberAsync(admin, "patience", "1");
        await admin.ClickAsync("#save-standing-training");
        await admin.WaitForSelectorAsync(".mud-snackbar:has-text('Standing training settings saved')");
        await admin.WaitForSelectorAsync("#standing-training #standing-is-default", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
        Assert.Equal(1, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM \"AuditRecords\" WHERE \"Action\" = 'relations.standing-training-changed' AND \"UserName\" = 'admin@demo.local'"));

        // 20 more labels: the retraining runs with the weak setting, and its version is kept out.
        await expert.ReloadAsync();
        await expert.WaitUntilInteractiveAsync();
        await LabelUpToThresholdAsync(projectId, expert);
        await WaitForAsync("the second retraining to finish", async () =>
            await app.Database.ScalarAsync<long>("SELECT count(*) FROM \"JobRuns\" WHERE \"Kind\" = 'relation-training' AND \"Status\" = 'Succeeded'") == 2,
            TimeSpan.FromSeconds(180));
        Assert.Equal("1", await app.Database.ScalarAsync<string>(
            $"SELECT v.\"Number\"::text FROM \"RelationProjects\" p JOIN \"ModelVersions\" v ON v.\"Id\" = p.\"ActiveModelVersionId\" WHERE p.\"Id\" = {projectId}"));

        await admin.ReloadAsync();
        await admin.WaitUntilInteractiveAsync();
        var weak = admin.Locator("tr[data-model-version='2']");
        await weak.Locator("[data-candidate='true']").WaitForAsync();
        var reason = await weak.Locator(".promotion-reason").InnerTextAsync();
        output.WriteLine(reason);
        Assert.Matches(@"^Not promoted: gold F1 \d\.\d{3} is worse than active v1's \d\.\d{3} by \d\.\d{3}, more than the tolerance 0\.010$", reason);
        await admin.Locator("tr[data-model-version='1'] [data-active='true']").WaitForAsync();
        await RunningApp.ScreenshotAsync(admin, "models-candidate-kept-out");

        // The registry says the same, and an admin may still promote it by hand.
        await admin.GotoAsync("/admin/models");
        await admin.WaitUntilInteractiveAsync();
        await admin.WaitForSelectorAsync(".candidate-badge");
        Assert.Contains("Not promoted: gold F1", await admin.Locator(".promotion-reason").First.InnerTextAsync(), StringComparison.Ordinal);

        // The long job has made its point: the admin cancels it, freeing the ordinary slot for the measurement below.
        await admin.GotoAsync("/admin/training");
        await admin.WaitUntilInteractiveAsync();
        await admin.Locator("tr[data-kind='demo-training'][data-status='Running'] .cancel-job").ClickAsync();
        await admin.Locator("tr[data-kind='demo-training'][data-status='Cancelled']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

        // What the 40 labels bought is not credited from v1 → v2 (different settings): it says so until it is measured.
        await admin.GotoAsync($"/relations/{projectId}");
        await admin.WaitUntilInteractiveAsync();
        var effort = admin.Locator("#expert-effort");
        await effort.Locator("text=not measured yet").WaitForAsync();
        Assert.Equal((RelationLabels * 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await effort.Locator("[data-metric='expert-labels'] .metric-value").InnerTextAsync()).Trim());
        await admin.ClickAsync("#measure-expert-value");
        // Pushed to the page when the worker finishes: mean ± seed spread over 3 seeds, and the basis of the figure.
        await effort.Locator("#expert-value-basis").WaitForAsync(new LocatorWaitForOptions { Timeout = 240_000 });
        var gain = await effort.Locator("[data-metric='label-gain']").InnerTextAsync();
        output.WriteLine(gain);
        Assert.Matches(@"[+−±]\d\.\d{3} ± \d\.\d{3}", gain);
        Assert.Contains("over 3 seeds", gain, StringComparison.Ordinal);
        Assert.Contains("seed 42: ", await effort.Locator("#expert-value-basis").InnerTextAsync(), StringComparison.Ordinal);
        await RunningApp.ScreenshotAsync(admin, "overview-expert-value");
    }

    private const int RelationLabels = RunningApp.RetrainEveryLabels;

    private async Task LabelUpToThresholdAsync(int projectId, IPage expert)
    {
        // A colleague's labels, from the dataset's gold, on items the expert is not shown.
        await app.Database.ScalarAsync<long>(
            "WITH picked AS (SELECT c.\"Id\", g.\"RelationTypeId\" FROM \"Candidates\" c JOIN \"GoldLabels\" g ON g.\"CandidateId\" = c.\"Id\" " +
            $"WHERE c.\"ProjectId\" = {projectId} AND NOT EXISTS (SELECT 1 FROM \"ExpertLabels\" l WHERE l.\"CandidateId\" = c.\"Id\") " +
            $"ORDER BY c.\"Id\" DESC LIMIT {RunningApp.RetrainEveryLabels - 1}), " +
            "ins AS (INSERT INTO \"ExpertLabels\" (\"ProjectId\", \"CandidateId\", \"Kind\", \"RelationTypeId\", \"UserId\", \"UserName\", \"IsUnsure\", \"DurationMs\", \"IsSimulated\", \"CreatedAt\") " +
            $"SELECT {projectId}, \"Id\", 'Label', \"RelationTypeId\", 'colleague', 'colleague@demo.local', false, 3000, false, now() FROM picked RETURNING 1) " +
            "SELECT count(*) FROM ins");
        // The page was (re)loaded before each round: its first acknowledgement is number 1.
        await expert.WaitForSelectorAsync("[data-candidate-id]");
        await expert.Keyboard.PressAsync("1");
        await expert.WaitForSelectorAsync("#label-workspace[data-acknowledged^='1:label:']", Within60Seconds);
    }

    private static async Task SetNumberAsync(IPage page, string parameter, string value)
    {
        var input = page.Locator($"#standing-training [data-parameter='{parameter}'] input");
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    private async Task WaitForAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(250);
        }
        throw new TimeoutException($"Timed out waiting for {what}.\n{app.Logs}");
    }
}
