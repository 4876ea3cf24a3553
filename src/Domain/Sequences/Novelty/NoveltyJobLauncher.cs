using System.Globalization;
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;

namespace WebApp.Domain.Sequences.Novelty;

public sealed record ModelSetLaunch(int? ModelSetId, IReadOnlyList<Guid> JobRunIds, IReadOnlyList<string> Errors);

/// <summary>
/// Creates a model set and starts one training job per cluster (Others excluded) plus one for the global model, so
/// several workers train a clustering in parallel; and starts batch scoring of an uploaded file.
/// </summary>
public sealed class NoveltyJobLauncher(IDbContextFactory<AppDbContext> dbFactory, JobLauncher launcher, AuditTrail audit,
    TimeProvider clock)
{
    public const string CreatedAuditAction = "novelty.model-set-created";

    public async Task<ModelSetLaunch> TrainAsync(NoveltyModelSetRequest request, string queue, AuditActor actor, CancellationToken ct = default)
    {
        var errors = request.Validate().ToList();
        if (errors.Count > 0) return new ModelSetLaunch(null, [], errors);

        NoveltyModelSet set;
        List<int?> targets = [null];
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var dataset = await db.SequenceDatasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == request.DatasetId, ct);
            if (dataset is null) return new ModelSetLaunch(null, [], [$"There is no sequence dataset {request.DatasetId}."]);
            string clusteringName = "global model only";
            if (request.ClusteringId is { } clusteringId)
            {
                var clustering = await db.Clusterings.AsNoTracking()
                    .FirstOrDefaultAsync(c => c.Id == clusteringId && c.DatasetId == request.DatasetId, ct);
                if (clustering is null) return new ModelSetLaunch(null, [], ["That clustering does not belong to this dataset."]);
                if (clustering.Status != ClusteringStatus.Saved)
                    return new ModelSetLaunch(null, [], ["Models are trained on a saved clustering: save the draft as a version first."]);
                clusteringName = clustering.Name;
                targets.InsertRange(0, (await db.Clusters.AsNoTracking().Where(c => c.ClusteringId == clusteringId && !c.IsOthers)
                    .OrderBy(c => c.Index).Select(c => c.Id).ToListAsync(ct)).Select(id => (int?)id));
            }
            set = new NoveltyModelSet
            {
                DatasetId = request.DatasetId,
                ClusteringId = request.ClusteringId,
                Name = string.IsNullOrWhiteSpace(request.Name) ? $"LSTMs for {clusteringName}" : request.Name.Trim(),
                Parameters = JsonSerializer.Serialize(request.Settings, JobJson.Options),
                TargetFalsePositiveRate = request.TargetFalsePositiveRate,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
                CreatedByName = actor.Name,
            };
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.NoveltyModelSets.Add(set);
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync(db, actor, CreatedAuditAction, nameof(NoveltyModelSet), set.Id.ToString(CultureInfo.InvariantCulture), null,
                new { set.DatasetId, set.ClusteringId, set.Name, request.Settings, set.TargetFalsePositiveRate, Models = targets.Count }, ct);
            await transaction.CommitAsync(ct);
        }

        var runs = new List<Guid>();
        foreach (var clusterId in targets)
        {
            var parameters = new NoveltyTrainingParameters(set.Id, clusterId);
            var result = await launcher.LaunchAsync(JobKinds.NoveltyTraining, queue, parameters, request.Settings.MaxEpochs, actor,
                (jobs, runId) => jobs.Enqueue<INoveltyTrainingJob>(queue, job => job.RunAsync(runId, CancellationToken.None)), ct);
            if (result.JobRunId is { } id) runs.Add(id);
            errors.AddRange(result.Errors);
        }
        return new ModelSetLaunch(set.Id, runs, errors);
    }

    public Task<LaunchResult> ScoreAsync(NoveltyScoringParameters parameters, AuditActor actor, CancellationToken ct = default)
    {
        var errors = parameters.Validate().ToList();
        if (errors.Count > 0) return Task.FromResult(new LaunchResult(null, errors));
        return launcher.LaunchAsync(JobKinds.NoveltyScoring, JobQueues.Default, parameters, 0, actor,
            (jobs, runId) => jobs.Enqueue<INoveltyScoringJob>(JobQueues.Default, job => job.RunAsync(runId, CancellationToken.None)), ct);
    }
}
