using Hangfire;

namespace WebApp.Domain.Training;

/// <summary>
/// What a recurring schedule runs when it fires: it starts the training job through the launchers the web's pages
/// use, which validate it, create the job run and enqueue it on the schedule's queue. The web only registers
/// schedules (it is a Hangfire client); every worker serves <see cref="Queue"/> and implements this.
/// </summary>
public interface IScheduledTrainingJob
{
    public const string Queue = "schedule";

    // A launch that failed (e.g. the parameters no longer pass validation) is recorded on the schedule's own runs; no retry.
    [AutomaticRetry(Attempts = 0)]
    Task FireAsync(string scheduleId, string kind, string parametersJson, string queue, string requestedBy);
}
