using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;
using WebApp.Web.Training;

namespace WebApp.IntegrationTests.Training;

/// <summary>Cancel (and retry) as the training page calls them, against the web's Hangfire storage; no worker runs here.</summary>
public class JobRunControlTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly AuditActor Admin = new(null, "admin@demo.local");
    private JobRunControl Control => app.Services.GetRequiredService<JobRunControl>();
    private TrainingJobStarter Starter => app.Services.GetRequiredService<TrainingJobStarter>();

    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    private async Task<Guid> LaunchDemoAsync()
    {
        var result = await app.Services.GetRequiredService<DemoJobLauncher>()
            .LaunchAsync(new DemoTrainingParameters(Epochs: 5), JobQueues.Default, Admin);
        Assert.Empty(result.Errors);
        return result.JobRunId!.Value;
    }

    private string? HangfireState(string hangfireJobId)
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetStateData(hangfireJobId)?.Name;
    }

    [Fact]
    public async Task Cancelling_a_queued_run_ends_it_and_removes_it_from_the_hangfire_queue()
    {
        var id = await LaunchDemoAsync();

        var result = await Control.CancelAsync(id, Admin);

        Assert.Null(result.Error);
        await using var db = await DbAsync();
        var run = await db.JobRuns.SingleAsync(r => r.Id == id);
        Assert.Equal(JobRunStatus.Cancelled, run.Status);
        Assert.Equal("Cancelled by admin@demo.local.", run.Error);
        Assert.NotNull(run.FinishedAt);
        Assert.Equal("Deleted", HangfireState(run.HangfireJobId!));
        Assert.True(await db.AuditRecords.AnyAsync(r => r.Action == "job.cancelled" && r.EntityId == id.ToString()));
    }

    [Fact]
    public async Task Cancelling_a_running_run_asks_its_worker_to_stop_and_cannot_be_repeated()
    {
        var id = await LaunchDemoAsync();
        await using (var db = await DbAsync())
        {
            await db.JobRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, JobRunStatus.Running));
        }

        var first = await Control.CancelAsync(id, Admin);
        var second = await Control.CancelAsync(id, Admin);

        Assert.Null(first.Error);
        Assert.NotNull(second.Error);
        await using var check = await DbAsync();
        var run = await check.JobRuns.SingleAsync(r => r.Id == id);
        Assert.Equal(JobRunStatus.Running, run.Status); // the worker ends it at its next progress report
        Assert.NotNull(run.CancelRequestedAt);
        Assert.Equal("admin@demo.local", run.CancelRequestedByName);
        Assert.Equal(1, await check.AuditRecords.CountAsync(r => r.Action == "job.cancel-requested" && r.EntityId == id.ToString()));
    }

    [Fact]
    public async Task A_finished_run_cannot_be_cancelled()
    {
        var id = await LaunchDemoAsync();
        await using (var db = await DbAsync())
        {
            await db.JobRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, JobRunStatus.Succeeded));
        }

        var result = await Control.CancelAsync(id, Admin);

        Assert.Contains("already ended", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retrying_a_cancelled_run_enqueues_a_new_run_with_the_same_kind_parameters_and_queue()
    {
        var result = await app.Services.GetRequiredService<DemoJobLauncher>()
            .LaunchAsync(new DemoTrainingParameters(Epochs: 7, HiddenUnits: 8), JobQueues.Gpu, Admin);
        var id = result.JobRunId!.Value;
        await Control.CancelAsync(id, Admin);

        var retry = await Starter.RetryAsync(id, Admin);

        Assert.Empty(retry.Errors);
        await using var db = await DbAsync();
        var original = await db.JobRuns.SingleAsync(r => r.Id == id);
        var again = await db.JobRuns.SingleAsync(r => r.Id == retry.JobRunIds.Single());
        Assert.Equal(id, again.RetryOfId);
        Assert.Equal(JobRunStatus.Queued, again.Status);
        Assert.Equal(JobKinds.DemoTraining, again.Kind);
        Assert.Equal(JobQueues.Gpu, again.Queue);
        Assert.Equal(JsonDocument.Parse(original.Parameters!).RootElement.ToString(), JsonDocument.Parse(again.Parameters!).RootElement.ToString());
        Assert.Equal("Enqueued", HangfireState(again.HangfireJobId!));
        Assert.True(await db.AuditRecords.AnyAsync(r => r.Action == "job.retried" && r.EntityId == id.ToString()));
    }

    [Fact]
    public async Task Only_failed_or_cancelled_runs_are_retried()
    {
        var id = await LaunchDemoAsync();

        var retry = await Starter.RetryAsync(id, Admin);

        Assert.Empty(retry.JobRunIds);
        Assert.Contains("failed or cancelled", Assert.Single(retry.Errors), StringComparison.Ordinal);
    }
}
