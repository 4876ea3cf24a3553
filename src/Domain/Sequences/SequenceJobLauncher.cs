using Hangfire;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;

namespace WebApp.Domain.Sequences;

/// <summary>Starts sequence imports and automatic clusterings on the workers (default queue: they need no accelerator).</summary>
public sealed class SequenceJobLauncher(JobLauncher launcher)
{
    /// <summary>With <paramref name="after"/> (a Hangfire job id) the import waits until that job has succeeded.</summary>
    public Task<LaunchResult> ImportAsync(SequenceImportParameters parameters, AuditActor actor, string? after = null,
        CancellationToken ct = default)
    {
        var errors = parameters.Validate().ToList();
        if (errors.Count > 0) return Task.FromResult(new LaunchResult(null, errors));
        return launcher.LaunchAsync(JobKinds.SequenceImport, JobQueues.Default, parameters, 0, actor, (jobs, runId) => after is null
            ? jobs.Enqueue<ISequenceImportJob>(JobQueues.Default, job => job.RunAsync(runId, CancellationToken.None))
            : jobs.ContinueJobWith<ISequenceImportJob>(after, JobQueues.Default, job => job.RunAsync(runId, CancellationToken.None)), ct);
    }

    /// <summary>One step per k tried.</summary>
    public Task<LaunchResult> ClusterAsync(SequenceClusteringParameters parameters, AuditActor actor, string? after = null,
        CancellationToken ct = default)
    {
        var errors = parameters.Validate().ToList();
        if (errors.Count > 0) return Task.FromResult(new LaunchResult(null, errors));
        return launcher.LaunchAsync(JobKinds.SequenceClustering, JobQueues.Default, parameters, parameters.MaxK - parameters.MinK + 1, actor,
            (jobs, runId) => after is null
                ? jobs.Enqueue<ISequenceClusteringJob>(JobQueues.Default, job => job.RunAsync(runId, CancellationToken.None))
                : jobs.ContinueJobWith<ISequenceClusteringJob>(after, JobQueues.Default, job => job.RunAsync(runId, CancellationToken.None)), ct);
    }
}
