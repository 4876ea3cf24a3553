using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.ActiveLearning;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;

namespace WebApp.Domain.Training;

public sealed record StartResult(IReadOnlyList<Guid> JobRunIds, IReadOnlyList<string> Errors);

/// <summary>
/// Starts any training job the Admin console offers from its kind and parameters as JSON, through the launcher
/// each feature's pages use (so validation and enqueueing are theirs), and retries failed or cancelled runs.
/// </summary>
public sealed class TrainingJobStarter(
    IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, JobLauncher launcher, DemoJobLauncher demo,
    RelationJobLauncher relation, SequenceJobLauncher sequences, NoveltyJobLauncher novelty)
{
    /// <summary>
    /// The kinds an Admin can start. Novelty training takes a <see cref="NoveltyModelSetRequest"/> (one run per
    /// cluster of a saved clustering plus the global model).
    /// </summary>
    public static readonly IReadOnlyList<string> Kinds =
        [JobKinds.DemoTraining, JobKinds.RelationTraining, JobKinds.LearningCurve, JobKinds.SequenceClustering, JobKinds.NoveltyTraining];

    /// <summary>Sequence clusterings need no accelerator: their launcher always uses the default queue.</summary>
    public static bool HasQueueChoice(string kind) => kind != JobKinds.SequenceClustering;

    /// <summary>Each kind's parameters with its launcher's defaults; the ids of what to train on are left at 0.</summary>
    public static object DefaultParameters(string kind) => kind switch
    {
        JobKinds.DemoTraining => new DemoTrainingParameters(),
        JobKinds.RelationTraining => new RelationTrainingParameters(0),
        JobKinds.LearningCurve => new LearningCurveParameters(0),
        JobKinds.SequenceClustering => SequenceClusteringParameters.Defaults(0, ClusteringKinds.Lda),
        JobKinds.NoveltyTraining => new NoveltyModelSetRequest(0, null, NoveltyTrainingSettings.Defaults()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind the Admin console starts."),
    };

    /// <summary>The values a text parameter of <paramref name="kind"/> may take, by its JSON name (lists: each item).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Choices(string kind) => kind switch
    {
        JobKinds.RelationTraining => new Dictionary<string, IReadOnlyList<string>>
        {
            ["aggregation"] = BagAggregations.All,
            ["optimizer"] = Optimizers.All,
        },
        JobKinds.LearningCurve => new Dictionary<string, IReadOnlyList<string>> { ["strategies"] = LearningCurveParameters.DefaultStrategies },
        JobKinds.SequenceClustering => new Dictionary<string, IReadOnlyList<string>>
        {
            ["method"] = [ClusteringKinds.Lda, ClusteringKinds.KMeans, ClusteringKinds.KMedoids],
        },
        _ => new Dictionary<string, IReadOnlyList<string>>(),
    };

    public static string DefaultParametersJson(string kind) =>
        JsonSerializer.Serialize(DefaultParameters(kind), DefaultParameters(kind).GetType(), IndentedJson);

    private static readonly JsonSerializerOptions IndentedJson = new(JobJson.Options) { WriteIndented = true };

    /// <summary>The parameters' problems, without starting anything (for the form and for saving a schedule).</summary>
    public static IReadOnlyList<string> Validate(string kind, string parametersJson, string queue)
    {
        if (!Kinds.Contains(kind)) return [$"Unknown job type '{kind}'."];
        if (!JobQueues.All.Contains(queue)) return [$"Unknown queue '{queue}'."];
        try
        {
            return Parse(kind, parametersJson) switch
            {
                DemoTrainingParameters p => p.Validate().ToList(),
                RelationTrainingParameters p => p.Validate().ToList(),
                LearningCurveParameters p => p.Validate().ToList(),
                SequenceClusteringParameters p => p.Validate().ToList(),
                NoveltyModelSetRequest p => p.Validate().ToList(),
                _ => ["The parameters are empty."],
            };
        }
        catch (JsonException e)
        {
            return [$"The parameters are not valid JSON for this job type: {e.Message}"];
        }
    }

    /// <summary>
    /// <see cref="Validate"/>, then whether the project or dataset the parameters name exists: a schedule saved with
    /// a wrong id would otherwise fail on a worker at every run.
    /// </summary>
    public async Task<IReadOnlyList<string>> ValidateAsync(string kind, string parametersJson, string queue, CancellationToken ct = default)
    {
        var errors = Validate(kind, parametersJson, queue);
        if (errors.Count > 0) return errors;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (int? projectId, int? datasetId) = Parse(kind, parametersJson) switch
        {
            RelationTrainingParameters p => (p.ProjectId, null),
            LearningCurveParameters p => (p.ProjectId, null),
            SequenceClusteringParameters p => (null, p.DatasetId),
            NoveltyModelSetRequest p => (null, p.DatasetId),
            _ => ((int?)null, (int?)null),
        };
        if (projectId is { } project && !await db.RelationProjects.AnyAsync(p => p.Id == project, ct))
            return [$"There is no relation project {project}: set \"projectId\" to one that exists."];
        if (datasetId is { } dataset && !await db.SequenceDatasets.AnyAsync(d => d.Id == dataset, ct))
            return [$"There is no sequence dataset {dataset}: set \"datasetId\" to one that exists."];
        return [];
    }

    public async Task<StartResult> StartAsync(string kind, string parametersJson, string queue, AuditActor actor,
        CancellationToken ct = default)
    {
        var errors = await ValidateAsync(kind, parametersJson, queue, ct);
        if (errors.Count > 0) return new StartResult([], errors);
        switch (Parse(kind, parametersJson))
        {
            case DemoTrainingParameters p: return Single(await demo.LaunchAsync(p, queue, actor, ct));
            case RelationTrainingParameters p: return Single(await relation.TrainAsync(p, queue, actor, ct: ct));
            case LearningCurveParameters p: return Single(await relation.LearningCurvesAsync(p, queue, actor, ct));
            case SequenceClusteringParameters p: return Single(await sequences.ClusterAsync(p, actor, ct: ct));
            case NoveltyModelSetRequest p:
                var set = await novelty.TrainAsync(p, queue, actor, ct);
                return new StartResult(set.JobRunIds, set.Errors);
            default: return new StartResult([], ["The parameters are empty."]);
        }
    }

    /// <summary>
    /// Starts a failed or cancelled run again as a new run with the same kind, parameters and queue, linked to the
    /// original by <see cref="JobRun.RetryOfId"/>.
    /// </summary>
    public async Task<StartResult> RetryAsync(Guid originalId, AuditActor actor, CancellationToken ct = default)
    {
        JobRun? original;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            original = await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == originalId, ct);
        }
        if (original is null) return new StartResult([], ["There is no such job run."]);
        if (original.Status is not (JobRunStatus.Failed or JobRunStatus.Cancelled))
            return new StartResult([], ["Only a failed or cancelled run can be retried."]);

        var parametersJson = original.Parameters ?? "{}";
        StartResult started;
        if (original.Kind == JobKinds.NoveltyTraining)
        {
            // One model of an existing set: its run's parameters name the set and cluster, not a new set request.
            var parameters = JsonSerializer.Deserialize<NoveltyTrainingParameters>(parametersJson, JobJson.Options)!;
            started = Single(await launcher.LaunchAsync(JobKinds.NoveltyTraining, original.Queue, parameters, original.TotalSteps, actor,
                (jobs, runId) => jobs.Enqueue<INoveltyTrainingJob>(original.Queue, job => job.RunAsync(runId, CancellationToken.None)), ct));
        }
        else if (Kinds.Contains(original.Kind))
        {
            started = await StartAsync(original.Kind, parametersJson, original.Queue, actor, ct);
        }
        else
        {
            return new StartResult([], [$"A {original.Kind} run is started again from its own page, not retried here."]);
        }

        if (started.JobRunIds.Count == 0) return started;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var retryId = started.JobRunIds[0];
            await db.JobRuns.Where(r => r.Id == retryId).ExecuteUpdateAsync(s => s.SetProperty(r => r.RetryOfId, originalId), ct);
            await audit.RecordAsync(db, actor, "job.retried", nameof(JobRun), originalId.ToString(),
                new { original.Status }, new { RetryId = retryId }, ct);
            await transaction.CommitAsync(ct);
            await JobRunReporter.NotifyAsync(db, retryId, ct);
        }
        return started;
    }

    private static StartResult Single(LaunchResult result) =>
        new(result.JobRunId is { } id && result.Errors.Count == 0 ? [id] : [], result.Errors);

    private static object? Parse(string kind, string json) => kind switch
    {
        JobKinds.DemoTraining => JsonSerializer.Deserialize<DemoTrainingParameters>(json, JobJson.Options),
        JobKinds.RelationTraining => JsonSerializer.Deserialize<RelationTrainingParameters>(json, JobJson.Options),
        JobKinds.LearningCurve => JsonSerializer.Deserialize<LearningCurveParameters>(json, JobJson.Options),
        JobKinds.SequenceClustering => JsonSerializer.Deserialize<SequenceClusteringParameters>(json, JobJson.Options),
        JobKinds.NoveltyTraining => JsonSerializer.Deserialize<NoveltyModelSetRequest>(json, JobJson.Options),
        _ => null,
    };
}
