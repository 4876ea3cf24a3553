using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain.Training;

namespace WebApp.Domain.RelationExtraction;

/// <summary>The latest finished measurement of what the expert labels bought, with when it ran.</summary>
public sealed record ExpertValueMeasurement(ExpertValueResult Result, DateTime MeasuredAt, Guid JobRunId, int LabelsSince = 0);

/// <summary>
/// What the experts' time bought in a project: the labels that stand (<see cref="ExpertLabels.Current"/>) and the
/// minutes spent labelling (undone answers took time too), and — only where it was measured — the gain on the held-out
/// measure between models trained with the same settings and seeds on data that differ by the expert labels alone
/// (<see cref="ExpertValueResult"/>), with its seed spread. Comparing two versions trained on different settings or data
/// credited the experts with whatever else changed (+0.39 F1 per minute, then −0.50, before any expert label was in
/// either). Simulated labels are left out.
/// </summary>
public sealed record ExpertEffort(int Labels, int Experts, double Minutes, double? LabelsPerMinute, ExpertValueMeasurement? Value,
    JobRun? Measuring)
{
    public static async Task<ExpertEffort> ForProjectAsync(AppDbContext db, int projectId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var current = ExpertLabels.Current(db, projectId).Where(l => !l.IsSimulated);
        var count = await current.CountAsync(ct);
        var experts = await current.Select(l => l.UserId).Distinct().CountAsync(ct);
        var minutes = await MinutesAsync(db, projectId, DateTime.MaxValue, ct);

        var filter = JsonSerializer.Serialize(new { projectId }, JobJson.Options);
        var runs = db.JobRuns.AsNoTracking()
            .Where(r => r.Kind == JobKinds.ExpertValue && r.Parameters != null && EF.Functions.JsonContains(r.Parameters, filter));
        var latest = await runs.Where(r => r.Status == JobRunStatus.Succeeded && r.Metrics != null)
            .OrderByDescending(r => r.FinishedAt).FirstOrDefaultAsync(ct);
        var measuring = await runs.Where(r => r.Status == JobRunStatus.Queued || r.Status == JobRunStatus.Running)
            .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(ct);
        ExpertValueMeasurement? value = null;
        if (latest is { Metrics: { } json } && JsonSerializer.Deserialize<ExpertValueResult>(json, JobJson.Options) is { Pairs.Count: > 0 } result)
        {
            // The run read the labels when it started: those that stand and came later are not in its figure.
            var since = latest.StartedAt ?? latest.CreatedAt;
            value = new ExpertValueMeasurement(result, latest.FinishedAt ?? latest.CreatedAt, latest.Id,
                await current.CountAsync(l => l.CreatedAt > since, ct));
        }
        return new ExpertEffort(count, experts, minutes, minutes > 0 ? count / minutes : null, value, measuring);
    }

    /// <summary>Minutes the experts spent answering (labels and undos, not simulated) before <paramref name="until"/>.</summary>
    public static async Task<double> MinutesAsync(AppDbContext db, int projectId, DateTime until, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.ExpertLabels.Where(l => l.ProjectId == projectId && !l.IsSimulated && l.Kind != ExpertLabelKind.Adjudication && l.CreatedAt < until)
            .SumAsync(l => (long)l.DurationMs, ct) / 60_000.0;
    }
}
