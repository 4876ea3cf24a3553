using WebApp.Domain.Training;

namespace WebApp.EndToEnd;

/// <summary>
/// The training console on a 1,280 px screen with runs of every kind, long names, hosts and errors: nothing scrolls
/// sideways, Cancel and Retry are on screen, and each run's progress is said in its own units. The runs are written
/// to the database as workers would leave them (own application: the seeded running runs stay out of other journeys).
/// </summary>
public sealed class TrainingConsoleLayoutTests(RunningApp app) : IClassFixture<RunningApp>
{
    [Fact]
    public async Task The_console_fits_1280_px_with_runs_of_every_kind_and_says_progress_in_their_units()
    {
        var now = DateTime.UtcNow;
        JobRun Run(string kind, JobRunStatus status, int step, int total, string message, string? error = null) => new()
        {
            Id = Guid.NewGuid(),
            Kind = kind,
            Queue = JobQueues.Gpu,
            Status = status,
            RequestedByName = "schedule 12 of a.very.long.administrator.name@research-institute.example.org",
            Step = step,
            TotalSteps = total,
            Progress = total > 0 ? (double)step / total : 0,
            Loss = 0.123456,
            Message = message,
            Error = error,
            Device = "cuda:0 (NVIDIA H100 80GB HBM3, 81,559 MiB)",
            WorkerHost = "gpu-worker-node-with-a-long-host-name.cluster.internal/123456",
            CreatedAt = now.AddMinutes(-5),
            StartedAt = now.AddMinutes(-4),
            FinishedAt = status is JobRunStatus.Running ? null : now.AddMinutes(-1),
        };
        var relation = Run(JobKinds.RelationTraining, JobRunStatus.Running, 92, 1200, "epoch 3/30 · step 12/40 · dev AUC 0.812");
        await using (var db = app.Database.CreateContext())
        {
            db.JobRuns.AddRange(
                relation,
                Run(JobKinds.RelationImport, JobRunStatus.Failed, 40, 100, "3.1/12 MB read · 12,000 lines, 9,000 candidates, 800 new entities, 40 facts",
                    "line 12001 of very-long-file-name-of-an-upload-that-goes-on-and-on.tsv: expected 5 tab-separated columns, found 3: "
                    + string.Concat(Enumerable.Repeat("column text ", 40))),
                Run(JobKinds.NoveltyTraining, JobRunStatus.Running, 58, 400, "grid point 2/10 (embedding 32, hidden 64) · epoch 18/40 · validation perplexity 3.141"),
                Run(JobKinds.SequenceImport, JobRunStatus.Cancelled, 80, 100, "10/12 MB read · 40,000 lines, 4,000 sequences"),
                Run(JobKinds.SequenceClustering, JobRunStatus.Succeeded, 8, 8, "LDA ensemble, 8 models"));
            await db.SaveChangesAsync();
        }

        var page = await app.SignInAsync("admin@demo.local", "/admin/training");
        await page.SetViewportSizeAsync(1280, 800);
        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        var row = page.Locator($"tr[data-job-run='{relation.Id}']");
        await row.WaitForAsync();
        await page.Locator(".retry-job").First.WaitForAsync();
        await RunningApp.ScreenshotAsync(page, "admin-training-1280");

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 1,280 px");
        Assert.True(await page.EvaluateAsync<bool>(
            "[...document.querySelectorAll('#job-runs, #job-runs .mud-table-container, #job-runs table')].every(e => e.scrollWidth <= e.clientWidth + 1)"),
            "the runs table is wider than its place at 1,280 px");
        var buttons = page.Locator("#job-runs .cancel-job, #job-runs .retry-job");
        Assert.True(await buttons.CountAsync() >= 4);
        foreach (var button in await buttons.AllAsync())
        {
            var box = await button.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 1280, $"a Cancel/Retry button lies outside the 1,280 px viewport at x = {box.X}");
        }

        var progress = await row.Locator(".job-steps").InnerTextAsync();
        Assert.Contains("epoch 3/30", progress, StringComparison.Ordinal);
        Assert.Contains("step 12/40", progress, StringComparison.Ordinal);
        Assert.DoesNotContain("92/1200", progress, StringComparison.Ordinal);
        var novelty = await page.Locator($"tr[data-kind='{JobKinds.NoveltyTraining}'] .job-steps").InnerTextAsync();
        Assert.Contains("grid point 2/10", novelty, StringComparison.Ordinal);
        Assert.DoesNotContain("58/400", novelty, StringComparison.Ordinal);
        Assert.DoesNotContain("40/100", await page.Locator($"tr[data-kind='{JobKinds.RelationImport}'] .job-steps").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("model 8/8", await page.Locator($"tr[data-kind='{JobKinds.SequenceClustering}'] .job-steps").InnerTextAsync(), StringComparison.Ordinal);
    }
}
