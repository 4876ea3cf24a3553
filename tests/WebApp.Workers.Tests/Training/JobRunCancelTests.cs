using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;
using WebApp.Testing;
using WebApp.Workers.Training;

namespace WebApp.Workers.Tests.Training;

/// <summary>An Admin's cancel request (the column the web sets) reaches a training loop through its progress reports.</summary>
public sealed class JobRunCancelTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private DemoTrainingJob CreateJob()
    {
        var factory = _database.CreateFactory();
        var devices = new TorchDevices(Options.Create(new WorkerOptions { TorchThreads = 1 }), NullLogger<TorchDevices>.Instance);
        return new DemoTrainingJob(factory, new JobRunReporter(factory, TimeProvider.System),
            new AuditTrail(TimeProvider.System), devices, NullLogger<DemoTrainingJob>.Instance);
    }

    private async Task<Guid> QueueRunAsync(int epochs)
    {
        await using var db = _database.CreateContext();
        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.DemoTraining,
            Status = JobRunStatus.Queued,
            Parameters = JsonSerializer.Serialize(new DemoTrainingParameters(Epochs: epochs), JobJson.Options),
            CreatedAt = DateTime.UtcNow,
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private async Task RequestCancelAsync(Guid id)
    {
        await using var db = _database.CreateContext();
        await db.JobRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.CancelRequestedAt, DateTime.UtcNow)
            .SetProperty(r => r.CancelRequestedByName, "admin@demo.local"));
    }

    [Fact]
    public async Task A_cancel_request_stops_a_running_training_within_a_second_and_writes_no_result()
    {
        var id = await QueueRunAsync(100_000);
        var running = CreateJob().RunAsync(id, CancellationToken.None);
        // Wait until the loop has reported progress, however slow the machine is today.
        for (var waited = 0; waited < 600; waited++)
        {
            await using var poll = _database.CreateContext();
            if (await poll.JobRuns.AnyAsync(r => r.Id == id && r.Step > 0)) break;
            await Task.Delay(50);
        }

        await RequestCancelAsync(id);
        var requested = Stopwatch.StartNew();
        var thrown = await Assert.ThrowsAsync<JobRunCancelledException>(() => running);
        var stoppedAfter = requested.Elapsed;

        // Progress is reported every 250 ms (or each epoch, whichever is later): the loop stops at the next report.
        Assert.True(stoppedAfter < TimeSpan.FromSeconds(1), $"stopped after {stoppedAfter.TotalMilliseconds:F0} ms");
        Assert.Equal(id, thrown.JobRunId);
        await using var db = _database.CreateContext();
        var run = await db.JobRuns.SingleAsync(r => r.Id == id);
        Assert.Equal(JobRunStatus.Cancelled, run.Status);
        Assert.Equal("Cancelled by admin@demo.local.", run.Error);
        Assert.True(run.Step < 100_000);
        Assert.Null(run.Metrics);
        Assert.NotNull(run.FinishedAt);
        Assert.False(await db.AuditRecords.AnyAsync(r => r.Action == "job.succeeded"));
    }

    [Fact]
    public async Task A_run_cancelled_before_a_worker_took_it_is_not_started()
    {
        var id = await QueueRunAsync(5);
        await RequestCancelAsync(id);

        await CreateJob().RunAsync(id, CancellationToken.None);

        await using var db = _database.CreateContext();
        var run = await db.JobRuns.SingleAsync(r => r.Id == id);
        Assert.Equal(JobRunStatus.Cancelled, run.Status);
        Assert.Equal(0, run.Attempts);
        Assert.Null(run.StartedAt);
    }

    [Fact]
    public async Task A_cancel_watch_cancels_its_token_within_a_second_of_the_request_and_not_before()
    {
        var id = await QueueRunAsync(10);
        var factory = _database.CreateFactory();
        await using var watch = new JobRunReporter(factory, TimeProvider.System).WatchForCancel(id, CancellationToken.None, TimeSpan.FromMilliseconds(100));

        await Task.Delay(400);
        Assert.False(watch.Token.IsCancellationRequested);
        await RequestCancelAsync(id);
        var requested = Stopwatch.StartNew();
        var cancelled = new TaskCompletionSource();
        await using (watch.Token.Register(() => cancelled.TrySetResult()))
        {
            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.True(requested.Elapsed < TimeSpan.FromSeconds(1), $"cancelled after {requested.Elapsed.TotalMilliseconds:F0} ms");
    }
}
