using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Training;
using WebApp.Testing;

namespace WebApp.IntegrationTests.Training;

public class WorkerHeartbeatTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly DateTime Start = new(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc);

    private static WorkerHeartbeat Worker(Guid id, string host = "gpu-box", int processId = 4242,
        DateTime startedAt = default, DateTime lastSeenAt = default, DateTime? stoppedAt = null) => new()
        {
            StartedAt = startedAt,
            LastSeenAt = lastSeenAt,
            StoppedAt = stoppedAt,
            Id = id,
            HostName = host,
            ProcessId = processId,
            Queues = ["gpu", "default"],
            WorkerCount = 2,
            Device = "CUDA: NVIDIA H200 (143771 MiB)",
            Version = "1.0.0",
            IntervalSeconds = 5,
        };

    private static JobRun Run(string workerHost, DateTime startedAt, JobRunStatus status = JobRunStatus.Running) => new()
    {
        Id = Guid.CreateVersion7(),
        Kind = JobKinds.DemoTraining,
        Status = status,
        WorkerHost = workerHost,
        CreatedAt = startedAt,
        StartedAt = startedAt,
    };

    [Fact]
    public async Task The_writer_keeps_one_row_per_worker_id_and_moves_last_seen_on_each_beat()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new SettableClock(Start);
        var writer = new WorkerHeartbeatWriter(database.CreateFactory(), clock);
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();

        await writer.StartAsync(Worker(first), CancellationToken.None);
        await writer.StartAsync(Worker(second, processId: 4343), CancellationToken.None);
        clock.Now = Start.AddSeconds(5);
        Assert.True(await writer.BeatAsync(first, CancellationToken.None));
        clock.Now = Start.AddSeconds(7);
        var restarted = Worker(first);
        restarted.Device = "CPU, 1 thread";
        await writer.StartAsync(restarted, CancellationToken.None);

        await using var db = database.CreateContext();
        var rows = await db.WorkerHeartbeats.OrderBy(h => h.ProcessId).ToListAsync();
        Assert.Equal([first, second], rows.Select(r => r.Id));
        Assert.Equal((Start, Start.AddSeconds(7), "CPU, 1 thread"), (rows[0].StartedAt, rows[0].LastSeenAt, rows[0].Device));
        Assert.Equal(["gpu", "default"], rows[0].Queues);
        Assert.Equal((2, 5, (DateTime?)null), (rows[0].WorkerCount, rows[0].IntervalSeconds, rows[0].StoppedAt));
        Assert.Equal(Start, rows[1].LastSeenAt);
    }

    [Fact]
    public async Task A_beat_records_the_run_this_process_is_running_now_and_clears_it_when_the_run_ends()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new SettableClock(Start);
        var writer = new WorkerHeartbeatWriter(database.CreateFactory(), clock);
        var id = Guid.CreateVersion7();
        await writer.StartAsync(Worker(id), CancellationToken.None);
        var mine = Run("gpu-box/4242", Start.AddSeconds(2));
        var otherProcess = Run("gpu-box/999", Start.AddSeconds(3));
        // An earlier process with the same host and pid (a restarted container) left this one behind.
        var beforeThisStart = Run("gpu-box/4242", Start.AddMinutes(-10));
        await using (var db = database.CreateContext())
        {
            db.JobRuns.AddRange(mine, otherProcess, beforeThisStart);
            await db.SaveChangesAsync();
        }

        clock.Now = Start.AddSeconds(5);
        await writer.BeatAsync(id, CancellationToken.None);
        Assert.Equal(mine.Id, await CurrentJobAsync(database, id));

        await using (var db = database.CreateContext())
        {
            await db.JobRuns.Where(r => r.Id == mine.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, JobRunStatus.Succeeded));
        }
        clock.Now = Start.AddSeconds(10);
        await writer.BeatAsync(id, CancellationToken.None);
        Assert.Null(await CurrentJobAsync(database, id));
    }

    [Fact]
    public async Task A_graceful_stop_is_recorded_and_a_beat_for_a_removed_row_asks_for_a_new_start()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new SettableClock(Start);
        var writer = new WorkerHeartbeatWriter(database.CreateFactory(), clock);
        var id = Guid.CreateVersion7();
        await writer.StartAsync(Worker(id), CancellationToken.None);
        await using (var db = database.CreateContext())
        {
            db.JobRuns.Add(Run("gpu-box/4242", Start.AddSeconds(1)));
            await db.SaveChangesAsync();
        }
        await writer.BeatAsync(id, CancellationToken.None);

        clock.Now = Start.AddSeconds(30);
        await writer.StopAsync(id, CancellationToken.None);

        await using (var db = database.CreateContext())
        {
            var row = await db.WorkerHeartbeats.SingleAsync();
            Assert.Equal((Start.AddSeconds(30), (DateTime?)Start.AddSeconds(30), (Guid?)null), (row.LastSeenAt, row.StoppedAt, row.CurrentJobRunId));
            Assert.Equal(WorkerState.Stopped, row.StateAt(Start.AddSeconds(31)));
            db.WorkerHeartbeats.Remove(row);
            await db.SaveChangesAsync();
        }
        Assert.False(await writer.BeatAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Starting_forgets_workers_silent_for_more_than_a_day()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new SettableClock(Start);
        var writer = new WorkerHeartbeatWriter(database.CreateFactory(), clock);
        var old = Guid.CreateVersion7();
        await writer.StartAsync(Worker(old, processId: 1), CancellationToken.None);

        clock.Now = Start + WorkerHeartbeat.KeptFor + TimeSpan.FromSeconds(1);
        var current = Guid.CreateVersion7();
        await writer.StartAsync(Worker(current, processId: 2), CancellationToken.None);

        await using var db = database.CreateContext();
        Assert.Equal([current], await db.WorkerHeartbeats.Select(h => h.Id).ToListAsync());
    }

    [Fact]
    public async Task The_page_lists_alive_late_stopped_and_dead_workers_for_an_admin()
    {
        var now = DateTime.UtcNow;
        var alive = Worker(Guid.CreateVersion7(), "alive-host", 11, now.AddMinutes(-90), now.AddSeconds(-2));
        var late = Worker(Guid.CreateVersion7(), "late-host", 12, now.AddMinutes(-5), now.AddSeconds(-30));
        var stopped = Worker(Guid.CreateVersion7(), "stopped-host", 13, now.AddHours(-3), now.AddHours(-2), now.AddHours(-2));
        var forgotten = Worker(Guid.CreateVersion7(), "forgotten-host", 14, now.AddDays(-3), now.AddDays(-2));
        var dead = Worker(Guid.CreateVersion7(), "dead-host", 15, now.AddMinutes(-20), now.AddMinutes(-10));
        var run = Run("alive-host/11", now.AddSeconds(-20));
        run.Kind = JobKinds.RelationTraining;
        run.Step = 3;
        run.TotalSteps = 10;
        run.Message = "epoch 1/1 · step 3/10"; // what a relation training reports: its steps in its own words
        alive.CurrentJobRunId = run.Id;
        dead.CurrentJobRunId = run.Id; // killed while running it, taken over by the alive one
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            db.JobRuns.Add(run);
            db.WorkerHeartbeats.AddRange(alive, late, stopped, dead, forgotten);
            await db.SaveChangesAsync();
        }
        var client = await app.ClientAsync("admin@demo.local");

        var html = await client.GetStringAsync("/admin/workers");

        Assert.Contains($"data-worker=\"{alive.Id}\" data-state=\"Alive\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-worker=\"{late.Id}\" data-state=\"Late\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-worker=\"{stopped.Id}\" data-state=\"Stopped\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-worker=\"{dead.Id}\" data-state=\"Dead\"", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "was running"));
        Assert.DoesNotContain("forgotten-host", html, StringComparison.Ordinal);
        Assert.Contains("CUDA: NVIDIA H200 (143771 MiB)", html, StringComparison.Ordinal);
        Assert.Contains(JobKinds.RelationTraining, html, StringComparison.Ordinal);
        Assert.Contains("3/10", html, StringComparison.Ordinal);
        Assert.Contains("1 h 30 min", html, StringComparison.Ordinal);
    }

    private static async Task<Guid?> CurrentJobAsync(TestDatabase database, Guid workerId)
    {
        await using var db = database.CreateContext();
        return await db.WorkerHeartbeats.Where(h => h.Id == workerId).Select(h => h.CurrentJobRunId).SingleAsync();
    }

    private sealed class SettableClock(DateTime now) : TimeProvider
    {
        public DateTime Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => new(Now, TimeSpan.Zero);
    }
}
