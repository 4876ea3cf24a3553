using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;
using WebApp.Web.RelationExtraction;
using WebApp.Web.Sequences.Novelty;

namespace WebApp.Web.Training.Registry;

/// <summary>The registry's filter: a kind, and within it one project (relation) or dataset (novelty); a page of rows.</summary>
public sealed record RegistryFilter(ModelKind? Kind = null, int? OwnerId = null, int Skip = 0, int Take = ModelRegistryQueries.PageSize);

/// <summary>A relation project or a sequence dataset that has models.</summary>
public sealed record RegistryOwner(ModelKind Kind, int Id, string Name);

/// <summary>
/// One version in the registry. <paramref name="Auc"/>: held-out AUC (relation) or overall ROC-AUC (novelty);
/// <paramref name="F1"/>: gold F1 (relation) or overall F1 at the thresholds (novelty). Novelty device, duration and size
/// sum up the set's models; its job run is the global model's.
/// </summary>
public sealed record RegistryRow(ModelRef Model, int OwnerId, string OwnerName, string Version, DateTime CreatedAt, string CreatedByName,
    string Device, double TrainingSeconds, double? Auc, double? F1, bool Evaluated, long SizeBytes, bool UsedForPredictions, Guid? JobRunId,
    bool CanPredict = true, string? Promotion = null, string? PromotionReason = null);

public sealed record RegistryPage(IReadOnlyList<RegistryRow> Rows, int Total);

public sealed record RelationModelDetail(ModelVersion Version, string ProjectName, bool UsedForPredictions, ModelEvaluation? Evaluation)
{
    /// <summary>The project's relation names by key: metrics and data snapshots name relations by key.</summary>
    public IReadOnlyDictionary<string, string> RelationNames { get; init; } = new Dictionary<string, string>();
}

/// <summary>A model of a novelty set: its cluster's name ("Global model" for the global one) and its file's size.</summary>
public sealed record NoveltyPart(NoveltyModel Model, string Name, long SizeBytes);

/// <summary>
/// A novelty set with its models. <paramref name="UsedForPredictions"/> also holds when no set was chosen and this,
/// the newest trained one, scores by default (<paramref name="ChosenForPredictions"/> false).
/// </summary>
public sealed record NoveltyModelDetail(NoveltyModelSet Set, string DatasetName, string ClusteringName, bool UsedForPredictions,
    bool ChosenForPredictions, IReadOnlyList<NoveltyPart> Models, NoveltyEvaluation? Evaluation);

/// <summary>
/// Every trained model version of the app in one list (relation model versions and novelty model sets), their details,
/// comparisons, and the switch of the version used for predictions (the per-feature audited switches, called as they are).
/// </summary>
public sealed class ModelRegistryQueries(IDbContextFactory<AppDbContext> dbFactory, RelationQueries relations, NoveltyQueries novelty)
{
    public const int PageSize = 50;
    public const string GlobalModelName = "Global model";

    public async Task<IReadOnlyList<RegistryOwner>> OwnersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var projects = await db.RelationProjects.AsNoTracking().Where(p => db.ModelVersions.Any(v => v.ProjectId == p.Id))
            .OrderBy(p => p.Name).Select(p => new RegistryOwner(ModelKind.Relation, p.Id, p.Name)).ToListAsync(ct);
        var datasets = await db.SequenceDatasets.AsNoTracking().Where(d => db.NoveltyModelSets.Any(s => s.DatasetId == d.Id))
            .OrderBy(d => d.Name).Select(d => new RegistryOwner(ModelKind.Novelty, d.Id, d.Name)).ToListAsync(ct);
        return [.. projects, .. datasets];
    }

    /// <summary>The filter's versions, newest first, one page of them, and how many there are in all.</summary>
    public async Task<RegistryPage> ListAsync(RegistryFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var take = Math.Clamp(filter.Take, 1, 500);
        var skip = Math.Max(0, filter.Skip);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var relationVersions = db.ModelVersions.AsNoTracking();
        var noveltySets = db.NoveltyModelSets.AsNoTracking();
        if (filter.Kind == ModelKind.Novelty) relationVersions = relationVersions.Where(_ => false);
        if (filter.Kind == ModelKind.Relation) noveltySets = noveltySets.Where(_ => false);
        if (filter.Kind == ModelKind.Relation && filter.OwnerId is { } projectId) relationVersions = relationVersions.Where(v => v.ProjectId == projectId);
        if (filter.Kind == ModelKind.Novelty && filter.OwnerId is { } datasetId) noveltySets = noveltySets.Where(s => s.DatasetId == datasetId);

        // Newest first across both kinds: each side's first skip + take rows hold every row of the merged page.
        var relationRows = await RelationRowsAsync(db, relationVersions.OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id).Take(skip + take), ct);
        var noveltyRows = await NoveltyRowsAsync(db, noveltySets.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(skip + take), ct);
        var rows = relationRows.Concat(noveltyRows).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Model.Id)
            .Skip(skip).Take(take).ToList();
        var total = await relationVersions.CountAsync(ct) + await noveltySets.CountAsync(ct);
        return new RegistryPage(rows, total);
    }

    private static async Task<List<RegistryRow>> RelationRowsAsync(AppDbContext db, IQueryable<ModelVersion> versions, CancellationToken ct)
    {
        var list = await versions
            .Join(db.RelationProjects, v => v.ProjectId, p => p.Id, (v, p) => new
            {
                v.Id,
                v.ProjectId,
                ProjectName = p.Name,
                v.Number,
                v.CreatedAt,
                v.CreatedByName,
                v.Device,
                v.TrainingSeconds,
                v.HeldOutAuc,
                v.GoldF1,
                v.ModelSizeBytes,
                Active = p.ActiveModelVersionId == v.Id,
                v.JobRunId,
                v.Promotion,
                v.PromotionReason,
            })
            .ToListAsync(ct);
        return list.Select(v => new RegistryRow(new ModelRef(ModelKind.Relation, v.Id), v.ProjectId, v.ProjectName,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"v{v.Number}"), v.CreatedAt, v.CreatedByName, v.Device,
            v.TrainingSeconds, v.HeldOutAuc, v.GoldF1, v.HeldOutAuc is not null || v.GoldF1 is not null, v.ModelSizeBytes, v.Active, v.JobRunId,
            Promotion: v.Promotion, PromotionReason: v.PromotionReason)).ToList();
    }

    private static async Task<List<RegistryRow>> NoveltyRowsAsync(AppDbContext db, IQueryable<NoveltyModelSet> sets, CancellationToken ct)
    {
        var list = await sets
            .Join(db.SequenceDatasets, s => s.DatasetId, d => d.Id, (s, d) => new { s.Id, s.DatasetId, DatasetName = d.Name, s.Name, s.CreatedAt, s.CreatedByName })
            .ToListAsync(ct);
        if (list.Count == 0) return [];
        var ids = list.Select(s => s.Id).ToList();
        var models = await db.NoveltyModels.AsNoTracking().Where(m => ids.Contains(m.ModelSetId))
            .Select(m => new
            {
                m.ModelSetId,
                m.ClusterId,
                m.Device,
                m.TrainingSeconds,
                m.JobRunId,
                m.Status,
                Size = db.NoveltyModelFiles.Where(f => f.ModelId == m.Id).Select(f => (long?)f.Content.Length).FirstOrDefault() ?? 0,
            })
            .ToListAsync(ct);
        var headlines = await EvaluationHeadlinesAsync(db, ids, ct);
        var predictionSets = new Dictionary<int, int?>();
        foreach (var datasetId in list.Select(s => s.DatasetId).Distinct())
        {
            predictionSets[datasetId] = await NoveltyPredictionSet.ForDatasetAsync(db, datasetId, ct);
        }
        return list.Select(s =>
        {
            var parts = models.Where(m => m.ModelSetId == s.Id).ToList();
            var headline = headlines.GetValueOrDefault(s.Id);
            return new RegistryRow(new ModelRef(ModelKind.Novelty, s.Id), s.DatasetId, s.DatasetName, s.Name, s.CreatedAt, s.CreatedByName,
                string.Join(", ", parts.Select(m => m.Device).Where(d => d.Length > 0).Distinct()), parts.Sum(m => m.TrainingSeconds),
                headline?.RocAuc, headline?.F1, headline is not null, parts.Sum(m => m.Size), predictionSets[s.DatasetId] == s.Id,
                parts.FirstOrDefault(m => m.ClusterId is null)?.JobRunId ?? parts.FirstOrDefault(m => m.JobRunId is not null)?.JobRunId,
                // A set scores once its global model is trained (it takes the sequences no cluster model does).
                parts.Any(m => m.ClusterId is null && m.Status == NoveltyModelStatus.Ready));
        }).ToList();
    }

    /// <summary>Overall ROC-AUC and F1 of evaluated sets, read in SQL: the stored evaluation also holds every test score.</summary>
    private static async Task<Dictionary<int, EvaluationHeadline>> EvaluationHeadlinesAsync(AppDbContext db, List<int> setIds, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<EvaluationHeadline>($"""
            SELECT "Id" AS "SetId",
                   ("Evaluation" -> 'overall' -> 'all' ->> 'rocAuc')::double precision AS "RocAuc",
                   ("Evaluation" -> 'overall' -> 'all' ->> 'f1')::double precision AS "F1"
            FROM "NoveltyModelSets"
            WHERE "Id" = ANY({setIds.ToArray()}) AND "Evaluation" IS NOT NULL
            """).ToListAsync(ct);
        return rows.ToDictionary(r => r.SetId);
    }

    private sealed class EvaluationHeadline
    {
        public int SetId { get; init; }
        public double? RocAuc { get; init; }
        public double? F1 { get; init; }
    }

    public async Task<RelationModelDetail?> RelationAsync(int versionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, ct);
        if (version is null) return null;
        var project = await db.RelationProjects.AsNoTracking().SingleAsync(p => p.Id == version.ProjectId, ct);
        return new RelationModelDetail(version, project.Name, project.ActiveModelVersionId == version.Id, RelationQueries.ParseMetrics(version.Metrics))
        {
            RelationNames = await RelationQueries.RelationNamesAsync(db, project.Id, ct),
        };
    }

    public async Task<NoveltyModelDetail?> NoveltyAsync(int setId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.NoveltyModelSets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == setId, ct);
        if (set is null) return null;
        var dataset = await db.SequenceDatasets.AsNoTracking().SingleAsync(d => d.Id == set.DatasetId, ct);
        var models = await db.NoveltyModels.AsNoTracking().Where(m => m.ModelSetId == setId).OrderBy(m => m.ClusterId == null).ThenBy(m => m.ClusterId)
            .Select(m => new { Model = m, Size = db.NoveltyModelFiles.Where(f => f.ModelId == m.Id).Select(f => (long?)f.Content.Length).FirstOrDefault() ?? 0 })
            .ToListAsync(ct);
        var clusterIds = models.Where(m => m.Model.ClusterId is not null).Select(m => m.Model.ClusterId!.Value).ToList();
        var names = await db.Clusters.AsNoTracking().Where(c => clusterIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var clusteringName = set.ClusteringId is { } clusteringId
            ? await db.Clusterings.AsNoTracking().Where(c => c.Id == clusteringId).Select(c => c.Name).FirstOrDefaultAsync(ct) ?? $"clustering {clusteringId}"
            : "none (global model only)";
        var predictionSet = await NoveltyPredictionSet.ForDatasetAsync(db, dataset.Id, ct);
        var evaluation = set.Evaluation is null ? null : JsonSerializer.Deserialize<NoveltyEvaluation>(set.Evaluation, JobJson.Options);
        var parts = models.Select(m => new NoveltyPart(m.Model,
            m.Model.ClusterId is { } id ? names.GetValueOrDefault(id, $"cluster {id}") : GlobalModelName, m.Size)).ToList();
        return new NoveltyModelDetail(set, dataset.Name, clusteringName, predictionSet == set.Id, dataset.ActiveNoveltyModelSetId == set.Id,
            parts, evaluation);
    }

    /// <summary>Both versions side by side, or why they cannot be compared.</summary>
    public async Task<(ModelComparison? Comparison, string? Error)> CompareAsync(ModelRef a, ModelRef b, CancellationToken ct = default)
    {
        if (a.Kind != b.Kind)
        {
            return (null, "A relation model version and a novelty model set measure different things: compare two versions of the same type.");
        }
        if (a.Kind == ModelKind.Relation)
        {
            var (ra, rb) = (await RelationAsync(a.Id, ct), await RelationAsync(b.Id, ct));
            if (ra is null || rb is null) return (null, $"There is no relation model version {(ra is null ? a.Id : b.Id)}.");
            return (ModelComparison.Of(ra, rb), null);
        }
        var (na, nb) = (await NoveltyAsync(a.Id, ct), await NoveltyAsync(b.Id, ct));
        if (na is null || nb is null) return (null, $"There is no novelty model set {(na is null ? a.Id : b.Id)}.");
        return (ModelComparison.Of(na, nb), null);
    }

    /// <summary>Makes the version the one its project or dataset predicts with (audited by the feature's own switch); returns why not, or null.</summary>
    public async Task<string?> UseForPredictionsAsync(ModelRef model, AuditActor actor, CancellationToken ct = default)
    {
        if (model.Kind == ModelKind.Novelty) return await novelty.SetPredictionSetAsync(model.Id, actor, ct);
        int? projectId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            projectId = await db.ModelVersions.Where(v => v.Id == model.Id).Select(v => (int?)v.ProjectId).FirstOrDefaultAsync(ct);
        }
        if (projectId is null) return "That model version no longer exists.";
        var errors = await relations.SetActiveModelAsync(projectId.Value, model.Id, actor, ct);
        return errors.Count == 0 ? null : string.Join(" ", errors);
    }
}
