using Microsoft.Extensions.Logging;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;

namespace WebApp.Workers.Training;

/// <summary>Starts a recurring schedule's training through <see cref="TrainingJobStarter"/>, the path the form uses.</summary>
public sealed class ScheduledTrainingJob(TrainingJobStarter starter, ILogger<ScheduledTrainingJob> logger) : IScheduledTrainingJob
{
    public async Task FireAsync(string scheduleId, string kind, string parametersJson, string queue, string requestedBy)
    {
        var result = await starter.StartAsync(kind, parametersJson, queue, AuditActor.System($"schedule {scheduleId} of {requestedBy}"));
        if (result.Errors.Count > 0)
        {
            logger.LogWarning("Schedule {ScheduleId} could not start {Kind}: {Errors}", scheduleId, kind, string.Join(" ", result.Errors));
            throw new InvalidOperationException(string.Join(" ", result.Errors));
        }
        logger.LogInformation("Schedule {ScheduleId} started {Count} {Kind} run(s).", scheduleId, result.JobRunIds.Count, kind);
    }
}
