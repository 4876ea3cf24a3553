using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.Training;

/// <summary>
/// Writes a worker process's <see cref="WorkerHeartbeat"/>: the full row on start, then one small UPDATE per
/// beat, and the stop on a graceful shutdown. The current job is read from the job runs this process
/// (<see cref="WorkerHeartbeat.HostName"/>/<see cref="WorkerHeartbeat.ProcessId"/>, as <see cref="JobRunReporter"/>
/// records it) has started since its own start and not yet finished.
/// </summary>
public sealed class WorkerHeartbeatWriter(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Inserts the row (or rewrites it, when this worker id is already stored) and forgets long-gone workers.</summary>
    public async Task StartAsync(WorkerHeartbeat heartbeat, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.WorkerHeartbeats.SingleOrDefaultAsync(h => h.Id == heartbeat.Id, ct);
        if (row is null)
        {
            row = new WorkerHeartbeat { Id = heartbeat.Id, StartedAt = now };
            db.WorkerHeartbeats.Add(row);
        }
        row.HostName = heartbeat.HostName;
        row.ProcessId = heartbeat.ProcessId;
        row.Queues = heartbeat.Queues;
        row.WorkerCount = heartbeat.WorkerCount;
        row.Device = heartbeat.Device;
        row.Version = heartbeat.Version;
        row.IntervalSeconds = heartbeat.IntervalSeconds;
        row.LastSeenAt = now;
        row.StoppedAt = null;
        await db.SaveChangesAsync(ct);

        var forgetBefore = now - WorkerHeartbeat.KeptFor;
        await db.WorkerHeartbeats.Where(h => h.LastSeenAt < forgetBefore).ExecuteDeleteAsync(ct);
    }

    /// <summary>Records a beat; false when the row is gone (removed by hand), so the caller writes it again.</summary>
    public async Task<bool> BeatAsync(Guid workerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var updated = await db.WorkerHeartbeats.Where(h => h.Id == workerId).ExecuteUpdateAsync(s => s
            .SetProperty(h => h.LastSeenAt, now)
            .SetProperty(h => h.CurrentJobRunId, h => db.JobRuns
                .Where(r => r.Status == JobRunStatus.Running
                    && r.WorkerHost == h.HostName + "/" + h.ProcessId
                    && r.StartedAt >= h.StartedAt)
                .OrderByDescending(r => r.StartedAt)
                .Select(r => (Guid?)r.Id)
                .FirstOrDefault()), ct);
        return updated > 0;
    }

    /// <summary>Marks a graceful stop: the page shows the worker as stopped, not dead.</summary>
    public async Task StopAsync(Guid workerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.WorkerHeartbeats.Where(h => h.Id == workerId).ExecuteUpdateAsync(s => s
            .SetProperty(h => h.LastSeenAt, now)
            .SetProperty(h => h.StoppedAt, now)
            .SetProperty(h => h.CurrentJobRunId, (Guid?)null), ct);
    }
}
