using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.RelationExtraction;

/// <summary>
/// What the experts' time bought in a project: their labels per minute of labelling, and the gain in
/// sentence-level gold F1 from the last model trained before any expert label to the active model, per minute.
/// Simulated labels are left out.
/// </summary>
public sealed record ExpertEffort(int Labels, int Experts, double Minutes, double? LabelsPerMinute, double? F1Before, double? F1Now,
    double? F1GainPerMinute)
{
    public static async Task<ExpertEffort> ForProjectAsync(AppDbContext db, int projectId, CancellationToken ct)
    {
        var labels = db.ExpertLabels.Where(l => l.ProjectId == projectId && !l.IsSimulated && l.Kind != ExpertLabelKind.Retraction);
        var count = await labels.CountAsync(ct);
        var experts = await labels.Select(l => l.UserId).Distinct().CountAsync(ct);
        var minutes = await labels.SumAsync(l => (long)l.DurationMs, ct) / 60_000.0;
        var first = await labels.MinAsync(l => (DateTime?)l.CreatedAt, ct);

        var versions = db.ModelVersions.AsNoTracking().Where(v => v.ProjectId == projectId);
        var before = first is null ? null
            : await versions.Where(v => v.CreatedAt < first).OrderByDescending(v => v.Number).Select(v => v.GoldF1).FirstOrDefaultAsync(ct);
        var activeId = await db.RelationProjects.Where(p => p.Id == projectId).Select(p => p.ActiveModelVersionId).SingleOrDefaultAsync(ct);
        var now = activeId is null ? null : await versions.Where(v => v.Id == activeId).Select(v => v.GoldF1).SingleOrDefaultAsync(ct);

        return new ExpertEffort(count, experts, minutes,
            minutes > 0 ? count / minutes : null,
            before, now,
            before is { } b && now is { } n && minutes > 0 ? (n - b) / minutes : null);
    }
}
