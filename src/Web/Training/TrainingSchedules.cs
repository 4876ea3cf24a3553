using Cronos;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;

namespace WebApp.Web.Training;

public sealed record CronPreview(IReadOnlyList<DateTime> NextRunsUtc, string? Error);

public sealed record RecurringTraining(
    string Id, string Kind, string Queue, string Cron, string ParametersJson, string RequestedBy,
    DateTime? NextRunUtc, DateTime? LastRunUtc, string? LastJobState, string? Error);

public sealed record ScheduleResult(string? Id, IReadOnlyList<Guid> JobRunIds, IReadOnlyList<string> Errors);

/// <summary>
/// Training that starts later: once at a given time (the run is created now and Hangfire holds its job), or
/// recurring with a cron expression (a Hangfire recurring job that fires <see cref="IScheduledTrainingJob"/>).
/// Times are UTC.
/// </summary>
public sealed class TrainingSchedules(
    JobStorage storage, IRecurringJobManager recurring, TrainingJobStarter starter,
    IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Recurring jobs of this console have ids with this prefix; Hangfire may hold others.</summary>
    public const string IdPrefix = "training-";

    /// <summary>The next <paramref name="count"/> times a standard five-field cron expression fires after <paramref name="fromUtc"/>.</summary>
    public static CronPreview Preview(string? cron, DateTime fromUtc, int count = 5)
    {
        if (string.IsNullOrWhiteSpace(cron)) return new CronPreview([], "Give a cron expression, e.g. '0 3 * * *' (every day at 03:00 UTC).");
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            return new CronPreview([], $"'{cron.Trim()}' is not a valid cron expression (minute hour day-of-month month day-of-week): {e.Message}");
        }
        var runs = new List<DateTime>(count);
        var from = DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc);
        while (runs.Count < count && expression.GetNextOccurrence(from, TimeZoneInfo.Utc) is { } next)
        {
            runs.Add(next);
            from = next;
        }
        return runs.Count == 0 ? new CronPreview([], $"'{cron.Trim()}' never fires.") : new CronPreview(runs, null);
    }

    public async Task<ScheduleResult> StartAtAsync(string kind, string parametersJson, string queue, DateTimeOffset at,
        AuditActor actor, CancellationToken ct = default)
    {
        if (at <= clock.GetUtcNow()) return new ScheduleResult(null, [], ["The start time must be in the future."]);
        using var startAt = JobLauncher.StartAt(at);
        var result = await starter.StartAsync(kind, parametersJson, queue, actor, ct);
        return new ScheduleResult(null, result.JobRunIds, result.Errors);
    }

    /// <summary>Creates (<paramref name="id"/> null) or replaces a recurring training, after validating parameters and cron.</summary>
    public async Task<ScheduleResult> SaveRecurringAsync(string? id, string kind, string parametersJson, string queue, string cron,
        AuditActor actor, CancellationToken ct = default)
    {
        var errors = (await starter.ValidateAsync(kind, parametersJson, queue, ct)).ToList();
        if (Preview(cron, clock.GetUtcNow().UtcDateTime).Error is { } cronError) errors.Add(cronError);
        if (id is not null && !id.StartsWith(IdPrefix, StringComparison.Ordinal)) errors.Add("Not a training schedule.");
        if (errors.Count > 0) return new ScheduleResult(id, [], errors);

        var scheduleId = id ?? IdPrefix + Guid.CreateVersion7().ToString("N");
        var before = List().FirstOrDefault(s => s.Id == scheduleId);
        var expression = cron.Trim();
        recurring.AddOrUpdate<IScheduledTrainingJob>(scheduleId, IScheduledTrainingJob.Queue,
            job => job.FireAsync(scheduleId, kind, parametersJson, queue, actor.Name), expression,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        await AuditAsync(actor, before is null ? "schedule.created" : "schedule.updated", scheduleId,
            before is null ? null : new { before.Kind, before.Queue, before.Cron, before.ParametersJson },
            new { kind, queue, cron = expression, parametersJson }, ct);
        return new ScheduleResult(scheduleId, [], []);
    }

    public async Task<IReadOnlyList<string>> DeleteRecurringAsync(string id, AuditActor actor, CancellationToken ct = default)
    {
        if (List().FirstOrDefault(s => s.Id == id) is not { } before) return ["There is no such schedule."];
        recurring.RemoveIfExists(id);
        await AuditAsync(actor, "schedule.deleted", id, new { before.Kind, before.Queue, before.Cron, before.ParametersJson }, null, ct);
        return [];
    }

    /// <summary>Fires a schedule now, outside its cron (a worker starts its training as at a regular run).</summary>
    public async Task<IReadOnlyList<string>> RunNowAsync(string id, AuditActor actor, CancellationToken ct = default)
    {
        if (List().FirstOrDefault(s => s.Id == id) is not { } schedule) return ["There is no such schedule."];
        recurring.Trigger(id);
        await AuditAsync(actor, "schedule.triggered", id, null, new { schedule.Kind, schedule.Queue, schedule.Cron }, ct);
        return [];
    }

    public IReadOnlyList<RecurringTraining> List()
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs()
            .Where(job => job.Id.StartsWith(IdPrefix, StringComparison.Ordinal))
            .Select(ToSchedule)
            .OrderBy(s => s.NextRunUtc ?? DateTime.MaxValue)
            .ToList();
    }

    private static RecurringTraining ToSchedule(RecurringJobDto job)
    {
        // FireAsync(scheduleId, kind, parametersJson, queue, requestedBy)
        var args = job.Job?.Args;
        string Arg(int index) => args is { } a && a.Count > index ? a[index] as string ?? "" : "";
        return new RecurringTraining(job.Id, Arg(1), Arg(3), job.Cron, Arg(2), Arg(4),
            job.NextExecution, job.LastExecution, job.LastJobState, job.Error ?? job.LoadException?.Message);
    }

    private async Task AuditAsync(AuditActor actor, string action, string id, object? before, object? after, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await audit.RecordAsync(db, actor, action, "TrainingSchedule", id, before, after, ct);
        await transaction.CommitAsync(ct);
    }
}
