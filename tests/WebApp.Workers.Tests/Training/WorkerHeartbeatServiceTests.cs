using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebApp.Domain.Training;
using WebApp.Testing;
using WebApp.Workers.Training;

namespace WebApp.Workers.Tests.Training;

public sealed class WorkerHeartbeatServiceTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(migrate: false);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData(false, 1, null, "CPU, 1 thread")]
    [InlineData(false, 8, null, "CPU, 8 threads")]
    [InlineData(true, 1, "NVIDIA H200, 143771 MiB\n", "CUDA: NVIDIA H200 (143771 MiB)")]
    [InlineData(true, 1, "Tesla T4, 15360 MiB\nTesla T4, 15360 MiB\n", "CUDA: Tesla T4 (15360 MiB); Tesla T4 (15360 MiB)")]
    [InlineData(true, 1, null, "CUDA")]
    public void The_device_is_described_by_threads_or_by_the_GPUs(bool cuda, int threads, string? nvidiaSmi, string expected) =>
        Assert.Equal(expected, WorkerHeartbeatService.DeviceDescription(cuda, threads, nvidiaSmi));

    [Theory]
    [InlineData("1.0.0+b287e6447eb6cab793550b043eaed0d1e2f3a4b5", "1.0.0+b287e64")]
    [InlineData("1.0.0+b287e64", "1.0.0+b287e64")]
    [InlineData("1.0.0", "1.0.0")]
    public void The_version_keeps_a_short_commit(string informational, string expected) =>
        Assert.Equal(expected, WorkerHeartbeatService.ShortVersion(informational));

    [Fact]
    public async Task Beats_survive_a_missing_table_then_report_the_current_job_and_the_stop()
    {
        var factory = _database.CreateFactory();
        var options = Options.Create(new WorkerOptions { TorchThreads = 1, HeartbeatIntervalSeconds = 1, Queues = ["gpu"] });
        using var service = new WorkerHeartbeatService(new WorkerHeartbeatWriter(factory, TimeProvider.System), options,
            new TorchDevices(options, NullLogger<TorchDevices>.Instance), TimeProvider.System, NullLogger<WorkerHeartbeatService>.Instance);

        // No schema yet: the first beats fail, the service goes on.
        await service.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(service.ExecuteTask!.IsCompleted);

        await using (var db = _database.CreateContext())
        {
            await db.Database.MigrateAsync();
        }
        var row = await WaitForAsync(factory, service.WorkerId, h => true);
        Assert.Equal((Environment.MachineName, Environment.ProcessId, "CPU, 1 thread"), (row.HostName, row.ProcessId, row.Device));
        // The retraining slot every worker keeps is listed with the configured queues.
        Assert.Equal(["gpu", "retrain"], row.Queues);

        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.DemoTraining,
            Status = JobRunStatus.Running,
            WorkerHost = JobRunReporter.WorkerHost,
            CreatedAt = DateTime.UtcNow,
            StartedAt = DateTime.UtcNow,
        };
        await using (var db = _database.CreateContext())
        {
            db.JobRuns.Add(run);
            await db.SaveChangesAsync();
        }
        await WaitForAsync(factory, service.WorkerId, h => h.CurrentJobRunId == run.Id);

        await service.StopAsync(CancellationToken.None);
        await using (var db = _database.CreateContext())
        {
            var stopped = await db.WorkerHeartbeats.AsNoTracking().SingleAsync();
            Assert.NotNull(stopped.StoppedAt);
            Assert.Null(stopped.CurrentJobRunId);
        }
    }

    private static async Task<WorkerHeartbeat> WaitForAsync(IDbContextFactory<WebApp.Domain.AppDbContext> factory, Guid workerId,
        Func<WorkerHeartbeat, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using (var db = await factory.CreateDbContextAsync())
            {
                var row = await db.WorkerHeartbeats.AsNoTracking().SingleOrDefaultAsync(h => h.Id == workerId);
                if (row is not null && condition(row)) return row;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The heartbeat did not arrive in time.");
            await Task.Delay(200);
        }
    }
}
