using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;

namespace WebApp.Web.Training;

public sealed record LaunchResult(Guid? JobRunId, IReadOnlyList<string> Errors);

/// <summary>Records a demo training run (with its audit record) and hands it to the workers through Hangfire.</summary>
public sealed class DemoJobLauncher(
    IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, IBackgroundJobClient jobs,
    JobRunReporter reporter, TimeProvider clock, ILogger<DemoJobLauncher> logger)
{

    public async Task<LaunchResult> LaunchAsync(DemoTrainingParameters parameters, string queue, AuditActor actor,
        CancellationToken ct = default)
    {
        var errors = parameters.Validate().ToList();
        if (!JobQueues.All.Contains(queue)) errors.Add($"Unknown queue '{queue}'.");
        if (errors.Count > 0) return new LaunchResult(null, errors);

        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.DemoTraining,
            Queue = queue,
            Status = JobRunStatus.Queued,
            Parameters = JsonSerializer.Serialize(parameters, JobJson.Options),
            RequestedByUserId = actor.UserId,
            RequestedByName = actor.Name,
            TotalSteps = parameters.Epochs,
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

        try
        {
            // The run row is committed first, so a worker that picks the job up at once always finds it.
            var hangfireId = jobs.Enqueue<IDemoTrainingJob>(queue, job => job.RunAsync(run.Id, CancellationToken.None));
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
        return new LaunchResult(run.Id, []);
    }
}
