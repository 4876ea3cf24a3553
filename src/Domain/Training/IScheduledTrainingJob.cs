using Hangfire;

namespace WebApp.Domain.Training;

/// <summary>
/// What a delayed or recurring schedule runs when it fires: it starts the training job through the web's launchers,
/// which create the job run. The web implements it and processes <see cref="Queue"/>; workers never listen there.
/// Declared here so any Hangfire server's recurring-job scheduler can read the job it triggers.
/// </summary>
public interface IScheduledTrainingJob
{
    public const string Queue = "schedule";

    // A launch that failed (e.g. the parameters no longer pass validation) is recorded on the schedule's own runs; no retry.
    [AutomaticRetry(Attempts = 0)]
    Task FireAsync(string scheduleId, string kind, string parametersJson, string queue, string requestedBy);
}
