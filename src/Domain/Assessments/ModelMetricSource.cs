using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;

namespace WebApp.Domain.Assessments;

/// <summary>A metric of a model of this application that a criterion's KPI can be bound to.</summary>
public sealed record MetricOption(
    MetricSourceKind Source,
    int SourceId,
    /// <summary>Human-readable model name, e.g. "Relations 'FewRel demo' · model v3".</summary>
    string SourceName,
    /// <summary>Stable key within the source, e.g. "heldOut.maxF1".</summary>
    string Key,
    /// <summary>Human-readable metric name, e.g. "Held-out max F1".</summary>
    string Name,
    double? Value,
    DateTime MeasuredAt,
    /// <summary>The model the version belongs to, e.g. "Relations 'FewRel demo'": what the picker groups by.</summary>
    string Model = "",
    /// <summary>The version within <see cref="Model"/>, e.g. "model v3".</summary>
    string Version = "",
    /// <summary>The version the project or dataset uses now (its active model, or the set chosen for predictions).</summary>
    bool InUse = false);

/// <summary>A bound metric read now: its value and where it came from; <see cref="NewerVersionAvailable"/> flags a stale binding.</summary>
public sealed record MetricReading(MetricOption Metric, bool NewerVersionAvailable);

/// <summary>
/// Lists and reads the stored metrics of this application's models (relation model versions, novelty model sets)
/// for criteria bound to them: live evidence, read from PostgreSQL when the assessment is shown.
/// </summary>
public sealed class ModelMetricSource(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>A version written without an evaluation keeps the column's default.</summary>
    private const string NoMetrics = "{}";

    /// <summary>Every bindable metric of every ready model, newest models first.</summary>
    public async Task<IReadOnlyList<MetricOption>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await db.ModelVersions.AsNoTracking()
            .Where(v => v.Metrics != NoMetrics)
            .Join(db.RelationProjects, v => v.ProjectId, p => p.Id, (v, p) => new { Version = v, ProjectName = p.Name, p.ActiveModelVersionId })
            .ToListAsync(ct);
        var sets = await db.NoveltyModelSets.AsNoTracking()
            .Where(s => s.Evaluation != null)
            .Join(db.SequenceDatasets, s => s.DatasetId, d => d.Id, (s, d) => new { Set = s, DatasetName = d.Name, d.ActiveNoveltyModelSetId })
            .ToListAsync(ct);

        static List<MetricOption> Tag(List<MetricOption> metrics, string model, string version, bool inUse) =>
            metrics.Select(m => m with { Model = model, Version = version, InUse = inUse }).ToList();
        var sources = versions.Select(v => Tag(RelationMetrics(v.Version, v.ProjectName), $"Relations '{v.ProjectName}'",
                $"model v{v.Version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)}", v.ActiveModelVersionId == v.Version.Id))
            .Concat(sets.Select(s => Tag(NoveltyMetrics(s.Set, s.DatasetName), $"Novelty '{s.DatasetName}'", $"model set {s.Set.Name}",
                s.ActiveNoveltyModelSetId == s.Set.Id)))
            .Where(metrics => metrics.Count > 0)
            .OrderByDescending(metrics => metrics[0].MeasuredAt)
            .ThenBy(metrics => metrics[0].Source)
            .ThenByDescending(metrics => metrics[0].SourceId)
            .ToList();
        // Grouped by model (the model with the newest version first), each model's versions newest first.
        return [.. sources.GroupBy(metrics => (metrics[0].Source, metrics[0].Model)).SelectMany(g => g).SelectMany(metrics => metrics)];
    }

    /// <summary>The metric now, or null when the model or the metric no longer exists.</summary>
    public async Task<MetricReading?> ReadAsync(MetricSourceKind source, int sourceId, string key, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await LoadAsync(db, source, sourceId, ct))?.Read(key);
    }

    /// <summary>Readings for every bound criterion, by criterion id (criteria without a binding are left out).</summary>
    public async Task<IReadOnlyDictionary<int, MetricReading?>> ReadBoundAsync(IEnumerable<AssessmentCriterion> criteria, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var readings = new Dictionary<int, MetricReading?>();
        var bound = criteria.Where(c => c.MetricSource is not null && c.MetricSourceId is not null && !string.IsNullOrWhiteSpace(c.MetricKey)).ToList();
        if (bound.Count == 0) return readings;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Several criteria often read the same model: load and parse each source once.
        var sources = new Dictionary<(MetricSourceKind, int), SourceMetrics?>();
        foreach (var criterion in bound)
        {
            var id = (criterion.MetricSource!.Value, criterion.MetricSourceId!.Value);
            if (!sources.TryGetValue(id, out var metrics))
            {
                metrics = await LoadAsync(db, id.Item1, id.Item2, ct);
                sources[id] = metrics;
            }
            readings[criterion.Id] = metrics?.Read(criterion.MetricKey!);
        }
        return readings;
    }

    /// <summary>One source's metrics and whether a newer model of the same project or dataset exists; null when the source is gone or has none.</summary>
    private sealed record SourceMetrics(IReadOnlyList<MetricOption> Metrics, bool NewerVersionAvailable)
    {
        public MetricReading? Read(string key) =>
            Metrics.FirstOrDefault(m => m.Key == key) is { } metric ? new MetricReading(metric, NewerVersionAvailable) : null;
    }

    private static Task<SourceMetrics?> LoadAsync(AppDbContext db, MetricSourceKind source, int sourceId, CancellationToken ct) => source switch
    {
        MetricSourceKind.RelationModel => LoadRelationAsync(db, sourceId, ct),
        MetricSourceKind.NoveltyModelSet => LoadNoveltyAsync(db, sourceId, ct),
        _ => Task.FromResult<SourceMetrics?>(null),
    };

    private static async Task<SourceMetrics?> LoadRelationAsync(AppDbContext db, int versionId, CancellationToken ct)
    {
        var version = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, ct);
        if (version is null) return null;
        var projectName = await db.RelationProjects.Where(p => p.Id == version.ProjectId).Select(p => p.Name).FirstOrDefaultAsync(ct) ?? "";
        var metrics = RelationMetrics(version, projectName);
        if (metrics.Count == 0) return null;
        var newer = await db.ModelVersions.AnyAsync(v => v.ProjectId == version.ProjectId && v.Number > version.Number && v.Metrics != NoMetrics, ct);
        return new SourceMetrics(metrics, newer);
    }

    private static async Task<SourceMetrics?> LoadNoveltyAsync(AppDbContext db, int setId, CancellationToken ct)
    {
        var set = await db.NoveltyModelSets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == setId, ct);
        if (set is null) return null;
        var datasetName = await db.SequenceDatasets.Where(d => d.Id == set.DatasetId).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? "";
        var metrics = NoveltyMetrics(set, datasetName);
        if (metrics.Count == 0) return null;
        var newer = await db.NoveltyModelSets.AnyAsync(s => s.DatasetId == set.DatasetId && s.Id != set.Id && s.Evaluation != null
            && (s.CreatedAt > set.CreatedAt || (s.CreatedAt == set.CreatedAt && s.Id > set.Id)), ct);
        return new SourceMetrics(metrics, newer);
    }

    public static string RelationSourceName(string projectName, int number) => $"Relations '{projectName}' · model v{number}";

    public static string NoveltySourceName(string datasetName, string setName) => $"Novelty '{datasetName}' · model set {setName}";

    /// <summary>The bindable metrics of a relation model version; empty when its evaluation is missing or unreadable.</summary>
    private static List<MetricOption> RelationMetrics(ModelVersion version, string projectName)
    {
        var evaluation = Parse<ModelEvaluation>(version.Metrics);
        if (evaluation?.HeldOut is not { } heldOut) return [];
        var name = RelationSourceName(projectName, version.Number);
        var metrics = new List<MetricOption>();
        void Add(string key, string label, double? value)
        {
            // A metric that could not be computed (e.g. P@300 with fewer ranked pairs) is not offered.
            if (value is { } v && double.IsFinite(v))
            {
                metrics.Add(new MetricOption(MetricSourceKind.RelationModel, version.Id, name, key, label, v, version.CreatedAt));
            }
        }
        Add("heldOut.auc", "Held-out PR AUC", heldOut.Auc);
        Add("heldOut.maxF1", "Held-out max F1", heldOut.MaxF1);
        Add("heldOut.precisionAt100", "Held-out precision at 100", heldOut.PrecisionAt100);
        Add("heldOut.precisionAt200", "Held-out precision at 200", heldOut.PrecisionAt200);
        Add("heldOut.precisionAt300", "Held-out precision at 300", heldOut.PrecisionAt300);
        if (evaluation.Gold is { } gold)
        {
            Add("gold.precision", "Gold sentence-level precision", gold.Precision);
            Add("gold.recall", "Gold sentence-level recall", gold.Recall);
            Add("gold.f1", "Gold sentence-level F1", gold.F1);
        }
        return metrics;
    }

    /// <summary>The bindable metrics of an evaluated novelty model set; empty when it has no readable evaluation.</summary>
    private static List<MetricOption> NoveltyMetrics(NoveltyModelSet set, string datasetName)
    {
        var evaluation = Parse<NoveltyEvaluation>(set.Evaluation);
        if (evaluation is null) return [];
        var name = NoveltySourceName(datasetName, set.Name);
        var measuredAt = evaluation.EvaluatedAt == default ? set.CreatedAt : evaluation.EvaluatedAt;
        var metrics = new List<MetricOption>();
        void AddSummary(string prefix, string label, DetectionSummary? summary)
        {
            if (summary is null) return;
            void Add(string key, string metric, double? value)
            {
                if (value is { } v && double.IsFinite(v))
                {
                    metrics.Add(new MetricOption(MetricSourceKind.NoveltyModelSet, set.Id, name, $"{prefix}.{key}", $"{label} {metric}", v, measuredAt));
                }
            }
            Add("rocAuc", "ROC-AUC", summary.RocAuc);
            Add("prAuc", "PR-AUC", summary.PrAuc);
            Add("f1", "F1 at the thresholds", summary.F1);
            Add("precision", "precision at the thresholds", summary.Precision);
            Add("recall", "recall at the thresholds", summary.Recall);
            Add("falsePositiveRate", "false-positive rate at the thresholds", summary.FalsePositiveRate);
        }
        AddSummary("overall", "Test set:", evaluation.Overall?.All);
        AddSummary("dedup", "Test set (distinct sequences):", evaluation.Overall?.Deduplicated);
        AddSummary("global", "Global model alone:", evaluation.Global?.All);
        return metrics;
    }

    private static T? Parse<T>(string? json) where T : class
    {
        if (string.IsNullOrWhiteSpace(json) || json == NoMetrics) return null;
        try
        {
            // Written by the workers with JobJson.Options (camelCase).
            return JsonSerializer.Deserialize<T>(json, JobJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
