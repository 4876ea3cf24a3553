using Hangfire;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;

namespace WebApp.Web.Training;

public sealed record ControlResult(JobRun? Run, string? Error);

/// <summary>An Admin's decisions about job runs that already exist: cancel one.</summary>
public sealed class JobRunControl(
    IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, IBackgroundJobClient jobs, TimeProvider clock,
    ILogger<JobRunControl> logger)
{
    /// <summary>
    /// Cancels a queued run at once; asks a running one to stop (its worker sees the request at its next progress
    /// report). Either way the run leaves Hangfire, so Hangfire neither starts it later nor retries it.
    /// </summary>
    public async Task<ControlResult> CancelAsync(Guid id, AuditActor actor, CancellationToken ct = default)
    {
        JobRun? run;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Locks the row so the status read here is the one changed. A worker that starts the run just after
            // still stops: its first progress report sees the request.
            run = await db.JobRuns.FromSql($"SELECT * FROM \"JobRuns\" WHERE \"Id\" = {id} FOR UPDATE").SingleOrDefaultAsync(ct);
            if (run is null) return new ControlResult(null, "There is no such job run.");
            if (run.IsFinished) return new ControlResult(run, $"The run has already ended ({run.Status}).");
            if (run.CancelRequestedAt is not null) return new ControlResult(run, "Cancelling was already requested.");

            var before = new { run.Status };
            run.CancelRequestedAt = clock.GetUtcNow().UtcDateTime;
            run.CancelRequestedByName = actor.Name;
            if (run.Status == JobRunStatus.Queued)
            {
                run.Status = JobRunStatus.Cancelled;
                run.Error = JobRunReporter.CancelledMessage(actor.Name);
                run.FinishedAt = run.CancelRequestedAt;
            }
            await audit.RecordAsync(db, actor, run.Status == JobRunStatus.Cancelled ? "job.cancelled" : "job.cancel-requested",
                nameof(JobRun), run.Id.ToString(), before, new { run.Status, run.CancelRequestedAt }, ct);
            await transaction.CommitAsync(ct);
            await JobRunReporter.NotifyAsync(db, run.Id, ct);
        }

        if (run.HangfireJobId is { } hangfireId)
        {
            try
            {
                jobs.Delete(hangfireId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The request is recorded; the worker still stops at its next report, and a late start finds the run cancelled.
                logger.LogWarning(e, "Could not delete Hangfire job {HangfireJobId} of cancelled run {JobRunId}.", hangfireId, run.Id);
            }
        }
        return new ControlResult(run, null);
    }
}
