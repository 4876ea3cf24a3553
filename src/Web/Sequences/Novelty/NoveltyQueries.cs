using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;

namespace WebApp.Web.Sequences.Novelty;

/// <summary>A model of a set as the page shows it: its cluster's name ("Global model" for the global one) and its training run.</summary>
public sealed record ModelRow(NoveltyModel? Model, int? ClusterId, string Name, JobRun? Run);

public sealed record ModelSetView(NoveltyModelSet Set, string ClusteringName, IReadOnlyList<ModelRow> Models, IReadOnlyList<ScoringRun> ScoringRuns,
    NoveltyEvaluation? Evaluation);

/// <summary>A page of a scoring run's scores, most novel first.</summary>
public sealed record ScoringRunView(SequenceDataset Dataset, NoveltyModelSet Set, ScoringRun Run, IReadOnlyList<SequenceScore> Scores,
    IReadOnlyDictionary<int, string> ClusterNames, IReadOnlyDictionary<int, double?> Thresholds, IReadOnlyList<SequenceEventType> Vocabulary);

/// <summary><paramref name="PredictionSetId"/>: the set online scoring uses when the caller names none (chosen, or the newest trained).</summary>
public sealed record NoveltyPageView(SequenceDataset Dataset, IReadOnlyList<Clustering> SavedClusterings, IReadOnlyList<ModelSetView> Sets,
    int? PredictionSetId);

/// <summary>What the novelty pages show, and the audited threshold and prediction-set changes.</summary>
public sealed class NoveltyQueries(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit)
{
    public const string ThresholdAuditAction = "novelty.threshold-changed";

    public async Task<NoveltyPageView?> DatasetAsync(int datasetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await db.SequenceDatasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, ct);
        if (dataset is null) return null;
        var clusterings = await db.Clusterings.AsNoTracking()
            .Where(c => c.DatasetId == datasetId && c.Status == ClusteringStatus.Saved)
            .OrderByDescending(c => c.CreatedAt).ToListAsync(ct);
        var sets = await db.NoveltyModelSets.AsNoTracking().Where(s => s.DatasetId == datasetId)
            .OrderByDescending(s => s.CreatedAt).Take(20).ToListAsync(ct);
        var views = new List<ModelSetView>();
        foreach (var set in sets) views.Add(await SetViewAsync(db, set, clusterings, ct));
        return new NoveltyPageView(dataset, clusterings, views, await NoveltyPredictionSet.ForDatasetAsync(db, datasetId, ct));
    }

    private static async Task<ModelSetView> SetViewAsync(AppDbContext db, NoveltyModelSet set, IReadOnlyList<Clustering> clusterings,
        CancellationToken ct)
    {
        var models = await db.NoveltyModels.AsNoTracking().Where(m => m.ModelSetId == set.Id).ToListAsync(ct);
        var filter = JsonSerializer.Serialize(new { modelSetId = set.Id }, JobJson.Options);
        var runs = await db.JobRuns.AsNoTracking()
            .Where(r => r.Kind == JobKinds.NoveltyTraining && r.Parameters != null && EF.Functions.JsonContains(r.Parameters, filter))
            .ToListAsync(ct);
        var clusters = set.ClusteringId is { } clusteringId
            ? await db.Clusters.AsNoTracking().Where(c => c.ClusteringId == clusteringId && !c.IsOthers).OrderBy(c => c.Index).ToListAsync(ct)
            : [];
        var rows = new List<ModelRow>();
        foreach (var (clusterId, name) in clusters.Select(c => ((int?)c.Id, c.Name)).Append((null, "Global model")))
        {
            var run = runs.Where(r => TrainingTarget(r) == clusterId).MaxBy(r => r.CreatedAt);
            rows.Add(new ModelRow(models.FirstOrDefault(m => m.ClusterId == clusterId), clusterId, name, run));
        }
        var scoring = await db.ScoringRuns.AsNoTracking().Where(r => r.ModelSetId == set.Id).OrderByDescending(r => r.CreatedAt).Take(10).ToListAsync(ct);
        var clusteringName = set.ClusteringId is null ? "none (global model only)"
            : clusterings.FirstOrDefault(c => c.Id == set.ClusteringId)?.Name ?? $"clustering {set.ClusteringId}";
        var evaluation = set.Evaluation is null ? null : JsonSerializer.Deserialize<NoveltyEvaluation>(set.Evaluation, JobJson.Options);
        return new ModelSetView(set, clusteringName, rows, scoring, evaluation);
    }

    public async Task<ScoringRunView?> ScoringRunAsync(int datasetId, int scoringRunId, int skip, int take, int? ordinal = null,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.ScoringRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == scoringRunId, ct);
        if (run is null) return null;
        var set = await db.NoveltyModelSets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == run.ModelSetId && s.DatasetId == datasetId, ct);
        if (set is null) return null;
        var dataset = await db.SequenceDatasets.AsNoTracking().SingleAsync(d => d.Id == datasetId, ct);
        var scores = db.SequenceScores.AsNoTracking().Where(s => s.ScoringRunId == scoringRunId);
        if (ordinal is { } one) scores = scores.Where(s => s.Ordinal == one);
        var page = await scores.OrderByDescending(s => s.IsNovel).ThenByDescending(s => s.Perplexity).ThenBy(s => s.Ordinal)
            .Skip(skip).Take(take).ToListAsync(ct);
        var clusterNames = set.ClusteringId is { } clusteringId
            ? await db.Clusters.AsNoTracking().Where(c => c.ClusteringId == clusteringId).ToDictionaryAsync(c => c.Id, c => c.Name, ct)
            : [];
        var thresholds = await db.NoveltyModels.AsNoTracking().Where(m => m.ModelSetId == set.Id).ToDictionaryAsync(m => m.Id, m => m.Threshold, ct);
        var vocabulary = await db.SequenceEventTypes.AsNoTracking().Where(e => e.DatasetId == datasetId).OrderBy(e => e.Index).ToListAsync(ct);
        return new ScoringRunView(dataset, set, run, page, clusterNames, thresholds, vocabulary);
    }

    /// <summary>Makes a set the one the dataset's predictions use (audited); returns why it was refused, or null.</summary>
    public async Task<string?> SetPredictionSetAsync(int setId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await NoveltyPredictionSet.ActivateAsync(db, audit, actor, setId, ct);
    }

    private static int? TrainingTarget(JobRun run) =>
        JsonSerializer.Deserialize<NoveltyTrainingParameters>(run.Parameters ?? "null", JobJson.Options)?.ClusterId;

    /// <summary>
    /// Sets a model's threshold to the percentile of its validation perplexities that leaves
    /// <paramref name="targetFalsePositiveRate"/> of them above it, with an audit record.
    /// </summary>
    public async Task<string?> SetThresholdAsync(int modelId, double targetFalsePositiveRate, AuditActor actor, CancellationToken ct = default)
    {
        if (targetFalsePositiveRate is <= 0 or >= 0.5) return "The target false-positive rate must be above 0 and below 0.5.";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var model = await db.NoveltyModels.FirstOrDefaultAsync(m => m.Id == modelId, ct);
        if (model is null) return "That model no longer exists.";
        if (model.Status != NoveltyModelStatus.Ready || model.ValidationScores.Length == 0) return "Only a trained model has a threshold.";
        var before = new { model.Threshold };
        model.Threshold = NoveltyMath.Threshold(model.ValidationScores, targetFalsePositiveRate);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, actor, ThresholdAuditAction, nameof(NoveltyModel), model.Id.ToString(CultureInfo.InvariantCulture), before,
            new { model.Threshold, TargetFalsePositiveRate = targetFalsePositiveRate }, ct);
        await transaction.CommitAsync(ct);
        return null;
    }
}
