using Microsoft.EntityFrameworkCore;

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
    DateTime MeasuredAt);

/// <summary>A bound metric read now: its value and where it came from; <see cref="NewerVersionAvailable"/> flags a stale binding.</summary>
public sealed record MetricReading(MetricOption Metric, bool NewerVersionAvailable);

/// <summary>
/// Lists and reads the stored metrics of this application's models (relation model versions, novelty model sets)
/// for criteria bound to them: live evidence, read from PostgreSQL when the assessment is shown.
/// </summary>
public sealed class ModelMetricSource(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>Every bindable metric of every ready model, newest models first.</summary>
    public Task<IReadOnlyList<MetricOption>> ListAsync(CancellationToken ct = default) =>
        throw new NotImplementedException($"{nameof(ModelMetricSource)} is implemented by the rules helper ({dbFactory}).");

    /// <summary>The metric now, or null when the model or the metric no longer exists.</summary>
    public Task<MetricReading?> ReadAsync(MetricSourceKind source, int sourceId, string key, CancellationToken ct = default) =>
        throw new NotImplementedException();

    /// <summary>Readings for every bound criterion, by criterion id (criteria without a binding are left out).</summary>
    public Task<IReadOnlyDictionary<int, MetricReading?>> ReadBoundAsync(IEnumerable<AssessmentCriterion> criteria, CancellationToken ct = default) =>
        throw new NotImplementedException();
}
