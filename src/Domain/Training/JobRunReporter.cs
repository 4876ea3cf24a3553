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

    /// <summary>
    /// The run a worker was handed, or null when there is nothing to do: an earlier attempt already committed it
    /// (a retry after the commit), or an Admin cancelled it (then it is marked cancelled here if it was not yet).
    /// </summary>
    public async Task<JobRun?> PendingAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == id, ct);
        if (run.Status is JobRunStatus.Succeeded or JobRunStatus.Cancelled) return null;
        if (run.CancelRequestedAt is null) return run;
        await FailAsync(id, "", ct);
        return null;
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

    /// <summary>
    /// Records progress; <paramref name="totalSteps"/> updates the total when it is only known once work has begun, and
    /// <paramref name="devMetric"/> the latest development-set metric (kept until the trainer reports a newer one).
    /// Every job reports from inside its training loop, so this is where an Admin's cancel request reaches it:
    /// it throws <see cref="JobRunCancelledException"/>, which unwinds the loop like a cancelled token would.
    /// </summary>
    public Task<JobRun> ProgressAsync(Guid id, int step, double? loss, string? message, CancellationToken ct, int? totalSteps = null,
        DevMetric? devMetric = null) =>
        UpdateAsync(id, run =>
        {
            if (run.CancelRequestedAt is not null) throw new JobRunCancelledException(id, run.CancelRequestedByName);
            if (totalSteps is { } total) run.TotalSteps = total;
            run.Step = step;
            run.Progress = run.TotalSteps > 0 ? Math.Clamp((double)step / run.TotalSteps, 0, 1) : 0;
            // A phase without training (loading, scoring) keeps the last training loss on show.
            run.Loss = loss ?? run.Loss;
            run.Message = message;
            if (devMetric is not null)
            {
                run.DevMetricName = devMetric.Name;
                run.DevMetricValue = devMetric.Value;
            }
        }, ct);

    /// <summary>Marks a run failed, or cancelled when an Admin asked for that (the error is then the cancel's unwinding).</summary>
    public Task<JobRun> FailAsync(Guid id, string error, CancellationToken ct) =>
        UpdateAsync(id, run =>
        {
            var cancelled = run.CancelRequestedAt is not null;
            run.Status = cancelled ? JobRunStatus.Cancelled : JobRunStatus.Failed;
            run.Error = cancelled ? CancelledMessage(run.CancelRequestedByName) : error;
            run.FinishedAt = clock.GetUtcNow().UtcDateTime;
        }, ct);

    public static string CancelledMessage(string? byName) => $"Cancelled by {byName ?? "an Admin"}.";

    /// <summary>
    /// A token cancelled once an Admin asks to stop the run (looked up every <paramref name="interval"/>, default half a
    /// second) or when <paramref name="ct"/> is: for jobs whose progress reports are further apart than a batch, so the
    /// training loop itself sees the request. Failing the run afterwards with <see cref="FailAsync"/> marks it cancelled.
    /// </summary>
    public CancelWatch WatchForCancel(Guid id, CancellationToken ct, TimeSpan? interval = null) =>
        new(this, id, interval ?? TimeSpan.FromMilliseconds(500), ct);

    internal async Task<bool> IsCancelRequestedAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.JobRuns.AnyAsync(r => r.Id == id && r.CancelRequestedAt != null, ct);
    }

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

/// <summary>See <see cref="JobRunReporter.WatchForCancel"/>; dispose it when the work has ended.</summary>
public sealed class CancelWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenSource _stopWatching = new();
    private readonly Task _watching;

    internal CancelWatch(JobRunReporter reporter, Guid id, TimeSpan interval, CancellationToken ct)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _watching = WatchAsync(reporter, id, interval);
    }

    public CancellationToken Token => _source.Token;

    private async Task WatchAsync(JobRunReporter reporter, Guid id, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopWatching.Token))
            {
                if (!await reporter.IsCancelRequestedAsync(id, _stopWatching.Token)) continue;
                await _source.CancelAsync();
                return;
            }
        }
        catch (OperationCanceledException)
        {
            // The work ended first.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopWatching.CancelAsync();
        await _watching;
        _stopWatching.Dispose();
        _source.Dispose();
    }
}

/// <summary>A metric on held-out development data during training, e.g. ("dev AUC", 0.83).</summary>
public sealed record DevMetric(string Name, double Value);

/// <summary>Thrown from a job's progress report when an Admin has asked to stop the run.</summary>
public sealed class JobRunCancelledException(Guid jobRunId, string? byName)
    : OperationCanceledException(JobRunReporter.CancelledMessage(byName))
{
    public Guid JobRunId { get; } = jobRunId;
}
