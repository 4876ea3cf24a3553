using System.Globalization;
using System.Text.Json;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;

namespace WebApp.Domain.Training;

public sealed record LaunchResult(Guid? JobRunId, IReadOnlyList<string> Errors, string? HangfireJobId = null);

/// <summary>Records a job run (with its audit record) and hands it to the workers through Hangfire.</summary>
public sealed class JobLauncher(
    IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, IBackgroundJobClient jobs,
    JobRunReporter reporter, TimeProvider clock, ILogger<JobLauncher> logger)
{
    private static readonly AsyncLocal<DateTimeOffset?> StartTime = new();

    /// <summary>
    /// Until disposed, launches on this async flow are scheduled for <paramref name="at"/> instead of enqueued now:
    /// the feature launchers keep their own validation and enqueue calls, and Hangfire holds the job until then.
    /// </summary>
    public static IDisposable StartAt(DateTimeOffset at)
    {
        StartTime.Value = at;
        return new StartTimeScope();
    }

    private sealed class StartTimeScope : IDisposable
    {
        public void Dispose() => StartTime.Value = null;
    }

    /// <summary>Turns an enqueue into a schedule; the job keeps its queue, which Hangfire uses when the time comes.</summary>
    private sealed class SchedulingClient(IBackgroundJobClient inner, DateTimeOffset at) : IBackgroundJobClient
    {
        public string Create(Job job, IState state) =>
            inner.Create(job, state is EnqueuedState ? new ScheduledState(at.UtcDateTime) : state);

        public bool ChangeState(string jobId, IState state, string expectedState) => inner.ChangeState(jobId, state, expectedState);
    }

    /// <summary>
    /// Commits the run row first, so a worker that picks the job up at once always finds it, then enqueues
    /// with <paramref name="enqueue"/> (given the client and the run id, it returns Hangfire's job id).
    /// </summary>
    public async Task<LaunchResult> LaunchAsync(string kind, string queue, object parameters, int totalSteps,
        AuditActor actor, Func<IBackgroundJobClient, Guid, string> enqueue, CancellationToken ct = default)
    {
        if (!JobQueues.Known.Contains(queue)) return new LaunchResult(null, [$"Unknown queue '{queue}'."]);
        var startAt = StartTime.Value;

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
            Message = startAt is { } at ? string.Create(CultureInfo.InvariantCulture, $"starts at {at.UtcDateTime:u}") : null,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.JobRuns.Add(run);
            await audit.RecordAsync(db, actor, "job.enqueued", nameof(JobRun), run.Id.ToString(), null,
                new { run.Kind, run.Queue, parameters, startAt }, ct);
            await transaction.CommitAsync(ct);
        }

        string hangfireId;
        try
        {
            hangfireId = enqueue(startAt is { } time ? new SchedulingClient(jobs, time) : jobs, run.Id);
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
