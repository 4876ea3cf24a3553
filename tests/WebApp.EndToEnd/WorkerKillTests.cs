using Microsoft.Playwright;
using WebApp.Testing;
using Xunit.Abstractions;

namespace WebApp.EndToEnd;

/// <summary>
/// The application for the worker kill test: no automatic retraining, a job left by a dead worker is taken over
/// after 15 s instead of 2 min, and heartbeats every second.
/// </summary>
public sealed class WorkerKillApp() : RunningApp(
    new Dictionary<string, string> { ["Relations__RetrainEveryLabels"] = "0" },
    new Dictionary<string, string>
    {
        ["Hangfire__InvisibilityTimeout"] = "00:00:15",
        ["Worker__HeartbeatIntervalSeconds"] = "1",
    });

public sealed class WorkerKillTests(WorkerKillApp app, ITestOutputHelper output) : IClassFixture<WorkerKillApp>
{
    private const int Pairs = 30; // 60 candidates
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task A_worker_killed_mid_training_leaves_no_model_version_and_a_new_worker_finishes_the_run()
    {
        int projectId;
        await using (var db = app.Database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db, "kill", Pairs);
        }
        var page = await app.SignInAsync("admin@demo.local", $"/relations/{projectId}/models");
        await page.WaitForSelectorAsync("#training-form");
        // Long enough to be caught mid-run on an idle machine too (8 epochs with early stopping ended before the
        // first look once): no early stopping, many short epochs.
        await page.FillAsync("#train-epochs", "150");
        await page.FillAsync("#train-patience", "150");
        await page.ClickAsync("#start-training");

        // Killed once the first worker reports a training step: the run is mid-epoch, nothing committed.
        var runId = await WaitForAsync("the first training step", () => app.Database.ScalarAsync<Guid>(
            "SELECT \"Id\" FROM \"JobRuns\" WHERE \"Kind\" = 'relation-training' AND \"Status\" = 'Running' AND \"Step\" >= 1"),
            id => id != Guid.Empty);
        var killedPid = app.Worker.Id;
        await WaitForAsync("the worker's heartbeat to name its job", () => app.Database.ScalarAsync<Guid>(
            $"SELECT coalesce(\"CurrentJobRunId\", '00000000-0000-0000-0000-000000000000') FROM \"WorkerHeartbeats\" WHERE \"ProcessId\" = {killedPid}"),
            id => id == runId);
        app.KillWorker();
        var killedAt = DateTime.UtcNow;

        Assert.Equal("0:Running:1", await VersionsAndRunAsync(projectId, runId));
        var killedHost = await app.Database.ScalarAsync<string>($"SELECT \"WorkerHost\" FROM \"JobRuns\" WHERE \"Id\" = '{runId}'") ?? "";
        Assert.EndsWith($"/{killedPid}", killedHost, StringComparison.Ordinal);

        // A new worker takes the abandoned job over once its lease has run out. At every look, a model version
        // exists exactly when the run has succeeded: the version is never visible half-written.
        await app.RestartWorkerAsync();
        var seen = new List<string>();
        var final = await WaitForAsync("the retried run to finish", async () =>
        {
            var state = await VersionsAndRunAsync(projectId, runId);
            if (seen.Count == 0 || seen[^1] != state) seen.Add(state);
            Assert.True(state.StartsWith("0:", StringComparison.Ordinal) ? !state.Contains("Succeeded", StringComparison.Ordinal) : state.StartsWith("1:Succeeded", StringComparison.Ordinal),
                $"Model versions and run state disagree: {state}");
            return state;
        }, state => state.Contains("Succeeded", StringComparison.Ordinal) || state.Contains("Failed", StringComparison.Ordinal));
        output.WriteLine($"Killed worker {killedPid}; taken over after {DateTime.UtcNow - killedAt:g}; states seen: {string.Join(" → ", seen)}.");

        Assert.Equal("1:Succeeded:2", final);
        Assert.Equal($"{killedHost[..killedHost.LastIndexOf('/')]}/{app.Worker.Id}",
            await app.Database.ScalarAsync<string>($"SELECT \"WorkerHost\" FROM \"JobRuns\" WHERE \"Id\" = '{runId}'"));
        // Hangfire records its own state after the job method returns, a moment after the run row says Succeeded.
        await WaitForAsync("Hangfire to record the job as succeeded", () => app.Database.ScalarAsync<string>(
            $"SELECT j.statename FROM hangfire.job j JOIN \"JobRuns\" r ON r.\"HangfireJobId\" = j.id::text WHERE r.\"Id\" = '{runId}'"),
            state => state == "Succeeded");
        Assert.Equal(2L * Pairs, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"Predictions\" p JOIN \"ModelVersions\" v ON v.\"Id\" = p.\"ModelVersionId\" WHERE v.\"ProjectId\" = {projectId} AND v.\"JobRunId\" = '{runId}'"));
        Assert.Equal(1L, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"ModelFiles\" f JOIN \"ModelVersions\" v ON v.\"Id\" = f.\"ModelVersionId\" WHERE v.\"ProjectId\" = {projectId}"));
        // The killed worker never said goodbye: its heartbeat stops, unmarked, and the page shows it dead
        // (silent for more than 12 one-second intervals) next to the new one.
        Assert.Equal(1L, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"WorkerHeartbeats\" WHERE \"ProcessId\" = {killedPid} AND \"StoppedAt\" IS NULL"));
        var workers = await app.SignInAsync("admin@demo.local", "/admin/workers");
        await workers.WaitForSelectorAsync($"#workers tr[data-state='Alive']:has(td:text-is('{app.Worker.Id}'))");
        await workers.WaitForSelectorAsync($"#workers tr[data-state='Dead']:has(td:text-is('{killedPid}'))");
        Assert.Contains("CPU, 1 thread", await workers.InnerTextAsync("#workers"), StringComparison.Ordinal);
        await RunningApp.ScreenshotAsync(workers, "admin-workers");
    }

    /// <summary>"versions:status:attempts", read in one statement (one snapshot).</summary>
    private async Task<string> VersionsAndRunAsync(int projectId, Guid runId) =>
        await app.Database.ScalarAsync<string>(
            $"SELECT (SELECT count(*) FROM \"ModelVersions\" WHERE \"ProjectId\" = {projectId}) || ':' || \"Status\" || ':' || \"Attempts\" " +
            $"FROM \"JobRuns\" WHERE \"Id\" = '{runId}'") ?? "";

    private async Task<T> WaitForAsync<T>(string what, Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what} (last: {value}).\n{app.Logs}");
            await Task.Delay(200);
        }
    }
}
