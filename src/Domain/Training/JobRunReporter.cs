using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.Training;

/// <summary>
/// How a running job writes its state to <see cref="JobRun"/>: each call is its own short transaction,
/// followed by a NOTIFY on <see cref="NotificationChannel"/> so pages can refresh without polling.
/// </summary>
public sealed class JobRunReporter(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const string NotificationChannel = "job_runs";

    /// <summary>This worker process as job runs record it (host/process id).</summary>
    public static string WorkerHost => $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>The run a worker was handed, or null when an earlier attempt already committed it (a retry after the commit).</summary>
    public async Task<JobRun?> PendingAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == id, ct);
        return run.Status == JobRunStatus.Succeeded ? null : run;
    }

    public Task<JobRun> StartAsync(Guid id, string device, string host, int totalSteps, CancellationToken ct) =>
        UpdateAsync(id, run =>
        {
            run.Status = JobRunStatus.Running;
            run.Device = device;
            run.WorkerHost = host;
            run.TotalSteps = totalSteps;
            run.Step = 0;
            run.Progress = 0;
            run.Loss = null;
            run.Error = null;
            run.FinishedAt = null;
            run.StartedAt = clock.GetUtcNow().UtcDateTime;
            run.Attempts++;
        }, ct);

    /// <summary>Records progress; <paramref name="totalSteps"/> updates the total when it is only known once work has begun.</summary>
    public Task<JobRun> ProgressAsync(Guid id, int step, double? loss, string? message, CancellationToken ct, int? totalSteps = null) =>
        UpdateAsync(id, run =>
        {
            if (totalSteps is { } total) run.TotalSteps = total;
            run.Step = step;
            run.Progress = run.TotalSteps > 0 ? Math.Clamp((double)step / run.TotalSteps, 0, 1) : 0;
            run.Loss = loss;
            run.Message = message;
        }, ct);

    public Task<JobRun> FailAsync(Guid id, string error, CancellationToken ct) =>
        UpdateAsync(id, run =>
        {
            run.Status = JobRunStatus.Failed;
            run.Error = error;
            run.FinishedAt = clock.GetUtcNow().UtcDateTime;
        }, ct);

    /// <summary>Marks a run succeeded; pass the worker's own context to commit it with other changes (and their audit record).</summary>
    public void MarkSucceeded(JobRun run, string metricsJson, string? message)
    {
        run.Status = JobRunStatus.Succeeded;
        run.Progress = 1;
        run.Step = run.TotalSteps;
        run.Metrics = metricsJson;
        run.Message = message;
        run.FinishedAt = clock.GetUtcNow().UtcDateTime;
    }

    private async Task<JobRun> UpdateAsync(Guid id, Action<JobRun> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.JobRuns.SingleAsync(r => r.Id == id, ct);
        change(run);
        await db.SaveChangesAsync(ct);
        await NotifyAsync(db, id, ct);
        return run;
    }

    public static async Task NotifyAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({NotificationChannel}, {id.ToString()})", ct);
}
