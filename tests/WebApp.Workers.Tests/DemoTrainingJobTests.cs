using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;
using WebApp.Testing;
using WebApp.Workers.Training;

namespace WebApp.Workers.Tests;

public sealed class DemoTrainingJobTests : IAsyncLifetime
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

    private async Task<Guid> QueueRunAsync(DemoTrainingParameters parameters)
    {
        await using var db = _database.CreateContext();
        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.DemoTraining,
            Status = JobRunStatus.Queued,
            Parameters = JsonSerializer.Serialize(parameters, JobJson.Options),
            CreatedAt = DateTime.UtcNow,
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    [Fact]
    public async Task A_run_ends_succeeded_with_metrics_device_worker_and_an_audit_record()
    {
        var id = await QueueRunAsync(new DemoTrainingParameters(Epochs: 20));

        await CreateJob().RunAsync(id, CancellationToken.None);

        await using var db = _database.CreateContext();
        var run = await db.JobRuns.SingleAsync(r => r.Id == id);
        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal(1.0, run.Progress);
        Assert.Equal(20, run.Step);
        Assert.Equal(1, run.Attempts);
        Assert.StartsWith("cpu", run.Device, StringComparison.Ordinal);
        Assert.Contains(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), run.WorkerHost, StringComparison.Ordinal);
        Assert.NotNull(run.StartedAt);
        Assert.NotNull(run.FinishedAt);
        Assert.Contains("heldOutAccuracy", run.Metrics, StringComparison.Ordinal);
        Assert.Equal("held-out accuracy", run.DevMetricName); // reported with the last epoch's progress
        Assert.InRange(run.DevMetricValue!.Value, 0, 1);

        var record = await db.AuditRecords.SingleAsync();
        Assert.Equal("job.succeeded", record.Action);
        Assert.Equal(id.ToString(), record.EntityId);
        Assert.StartsWith("system:worker", record.UserName, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"Succeeded\"", record.After, StringComparison.Ordinal);
        Assert.True((await new AuditChainVerifier(_database.CreateFactory()).VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task A_retry_of_a_succeeded_run_changes_nothing()
    {
        var id = await QueueRunAsync(new DemoTrainingParameters(Epochs: 3));
        await CreateJob().RunAsync(id, CancellationToken.None);

        await CreateJob().RunAsync(id, CancellationToken.None);

        await using var db = _database.CreateContext();
        Assert.Equal(1, (await db.JobRuns.SingleAsync(r => r.Id == id)).Attempts);
        Assert.Equal(1, await db.AuditRecords.CountAsync());
    }

    [Fact]
    public async Task A_failing_run_is_marked_failed_with_its_error_and_rethrown_for_retry()
    {
        var id = await QueueRunAsync(new DemoTrainingParameters(Epochs: 100_000));
        using var cancel = new CancellationTokenSource();
        var running = CreateJob().RunAsync(id, cancel.Token);
        // Cancel once the run is under way, however slow the machine is today.
        for (var waited = 0; waited < 600; waited++)
        {
            await using var poll = _database.CreateContext();
            if (await poll.JobRuns.AnyAsync(r => r.Id == id && r.Status == JobRunStatus.Running)) break;
            await Task.Delay(50);
        }
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        await using var db = _database.CreateContext();
        var run = await db.JobRuns.SingleAsync(r => r.Id == id);
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.False(string.IsNullOrEmpty(run.Error));
        Assert.Equal(0, await db.AuditRecords.CountAsync());
    }
}
