using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;

namespace WebApp.Web.Training;

public sealed record LaunchResult(Guid? JobRunId, IReadOnlyList<string> Errors, string? HangfireJobId = null);

/// <summary>Records a job run (with its audit record) and hands it to the workers through Hangfire.</summary>
public sealed class JobLauncher(
    IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, IBackgroundJobClient jobs,
    JobRunReporter reporter, TimeProvider clock, ILogger<JobLauncher> logger)
{
    /// <summary>
    /// Commits the run row first, so a worker that picks the job up at once always finds it, then enqueues
    /// with <paramref name="enqueue"/> (given the client and the run id, it returns Hangfire's job id).
    /// </summary>
    public async Task<LaunchResult> LaunchAsync(string kind, string queue, object parameters, int totalSteps,
        AuditActor actor, Func<IBackgroundJobClient, Guid, string> enqueue, CancellationToken ct = default)
    {
        if (!JobQueues.All.Contains(queue)) return new LaunchResult(null, [$"Unknown queue '{queue}'."]);

        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            Queue = queue,
            Status = JobRunStatus.Queued,
            Parameters = JsonSerializer.Serialize(parameters, parameters.GetType(), JobJson.Options),
            RequestedByUserId = actor.UserId,
            RequestedByName = actor.Name,
            TotalSteps = totalSteps,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.JobRuns.Add(run);
            await audit.RecordAsync(db, actor, "job.enqueued", nameof(JobRun), run.Id.ToString(), null,
                new { run.Kind, run.Queue, parameters }, ct);
            await transaction.CommitAsync(ct);
        }

        string hangfireId;
        try
        {
            hangfireId = enqueue(jobs, run.Id);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.JobRuns.Where(r => r.Id == run.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.HangfireJobId, hangfireId), ct);
            await JobRunReporter.NotifyAsync(db, run.Id, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not enqueue job run {JobRunId}.", run.Id);
            await reporter.FailAsync(run.Id, $"Could not enqueue: {e.Message}", CancellationToken.None);
            return new LaunchResult(run.Id, [$"The job could not be queued: {e.Message}. Is a worker running?"]);
        }
        return new LaunchResult(run.Id, [], hangfireId);
    }
}
