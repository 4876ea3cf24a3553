using Hangfire;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.ActiveLearning;
using WebApp.Domain.Training;

namespace WebApp.Domain.RelationExtraction;

/// <summary>Starts relation-extraction imports and training runs on the workers.</summary>
public sealed class RelationJobLauncher(JobLauncher launcher)
{
    /// <summary>
    /// Imports go to the default queue: they need PostgreSQL, not an accelerator. With <paramref name="after"/>
    /// (a Hangfire job id) the import waits until that job has succeeded.
    /// </summary>
    public Task<LaunchResult> ImportAsync(RelationImportParameters parameters, AuditActor actor, string? after = null,
        CancellationToken ct = default) =>
        launcher.LaunchAsync(JobKinds.RelationImport, JobQueues.Default, parameters, 0, actor, (jobs, runId) => after is null
            ? jobs.Enqueue<IRelationImportJob>(JobQueues.Default, job => job.RunAsync(runId, CancellationToken.None))
            : jobs.ContinueJobWith<IRelationImportJob>(after, JobQueues.Default, job => job.RunAsync(runId, CancellationToken.None)), ct);

    public Task<LaunchResult> TrainAsync(RelationTrainingParameters parameters, string queue, AuditActor actor,
        string? after = null, CancellationToken ct = default)
    {
        var errors = parameters.Validate().ToList();
        if (errors.Count > 0) return Task.FromResult(new LaunchResult(null, errors));
        return launcher.LaunchAsync(JobKinds.RelationTraining, queue, parameters, parameters.Epochs, actor, (jobs, runId) => after is null
            ? jobs.Enqueue<IRelationTrainingJob>(queue, job => job.RunAsync(runId, CancellationToken.None))
            : jobs.ContinueJobWith<IRelationTrainingJob>(after, queue, job => job.RunAsync(runId, CancellationToken.None)), ct);
    }

    /// <summary>A learning-curve simulation: one step per training it runs (every seed's distant model, then each strategy's rounds).</summary>
    public Task<LaunchResult> LearningCurvesAsync(LearningCurveParameters parameters, string queue, AuditActor actor, CancellationToken ct = default)
    {
        var errors = parameters.Validate().ToList();
        if (errors.Count > 0) return Task.FromResult(new LaunchResult(null, errors));
        var steps = parameters.Seeds * (1 + parameters.EffectiveStrategies.Count * parameters.Rounds);
        return launcher.LaunchAsync(JobKinds.LearningCurve, queue, parameters, steps, actor,
            (jobs, runId) => jobs.Enqueue<ILearningCurveJob>(queue, job => job.RunAsync(runId, CancellationToken.None)), ct);
    }

    /// <summary>Two trainings per seed (with and without the expert labels): a study, on the queue an admin picks.</summary>
    public Task<LaunchResult> ExpertValueAsync(ExpertValueParameters parameters, string queue, AuditActor actor, CancellationToken ct = default)
    {
        var errors = parameters.Validate().ToList();
        if (errors.Count > 0) return Task.FromResult(new LaunchResult(null, errors));
        return launcher.LaunchAsync(JobKinds.ExpertValue, queue, parameters, 2 * parameters.Seeds, actor,
            (jobs, runId) => jobs.Enqueue<IExpertValueJob>(queue, job => job.RunAsync(runId, CancellationToken.None)), ct);
    }
}
