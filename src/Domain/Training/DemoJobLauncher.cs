using Hangfire;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;

namespace WebApp.Domain.Training;

/// <summary>Starts the demo training job.</summary>
public sealed class DemoJobLauncher(JobLauncher launcher)
{
    public Task<LaunchResult> LaunchAsync(DemoTrainingParameters parameters, string queue, AuditActor actor,
        CancellationToken ct = default)
    {
        var errors = parameters.Validate().ToList();
        if (errors.Count > 0) return Task.FromResult(new LaunchResult(null, errors));
        return launcher.LaunchAsync(JobKinds.DemoTraining, queue, parameters, parameters.Epochs, actor,
            (jobs, runId) => jobs.Enqueue<IDemoTrainingJob>(queue, job => job.RunAsync(runId, CancellationToken.None)), ct);
    }
}
