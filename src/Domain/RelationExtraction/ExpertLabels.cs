using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.RelationExtraction;

/// <summary>A candidate's expert verdict as training and the pages use it.</summary>
public sealed record EffectiveLabel(long CandidateId, int RelationTypeId, int Experts, bool Adjudicated);

public static class ExpertLabels
{
    /// <summary>
    /// The label records that stand: per candidate and expert, the latest record when it is a label (a retraction
    /// takes it back; a later label replaces it). "Expert labels" on the overview and "Labelled today" on the
    /// labelling page both count these, so an undone label counts in neither and a changed one counts once.
    /// </summary>
    public static IQueryable<ExpertLabel> Current(AppDbContext db, int projectId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ExpertLabels.AsNoTracking()
            .Where(l => l.ProjectId == projectId && l.Kind == ExpertLabelKind.Label)
            .Where(l => !db.ExpertLabels.Any(later => later.ProjectId == projectId && later.CandidateId == l.CandidateId
                && later.UserId == l.UserId && later.Kind != ExpertLabelKind.Adjudication && later.Id > l.Id));
    }

    /// <summary>
    /// Per candidate with an expert answer: the latest adjudication if any; otherwise the relation most of the
    /// experts' current labels name (an expert's current label is their latest record, none after a
    /// retraction), ties going to the most recent label.
    /// </summary>
    public static async Task<Dictionary<long, EffectiveLabel>> EffectiveAsync(AppDbContext db, int projectId, CancellationToken ct)
    {
        var records = await db.ExpertLabels.AsNoTracking().Where(l => l.ProjectId == projectId)
            .OrderBy(l => l.Id)
            .Select(l => new { l.Id, l.CandidateId, l.UserId, l.Kind, l.RelationTypeId })
            .ToListAsync(ct);
        var result = new Dictionary<long, EffectiveLabel>();
        foreach (var candidate in records.GroupBy(r => r.CandidateId))
        {
            var adjudication = candidate.LastOrDefault(r => r.Kind == ExpertLabelKind.Adjudication);
            var current = candidate.Where(r => r.Kind != ExpertLabelKind.Adjudication)
                .GroupBy(r => r.UserId).Select(g => g.Last())
                .Where(r => r.Kind == ExpertLabelKind.Label && r.RelationTypeId is not null)
                .ToList();
            if (adjudication?.RelationTypeId is { } decided)
            {
                result[candidate.Key] = new EffectiveLabel(candidate.Key, decided, current.Count, true);
                continue;
            }
            if (current.Count == 0) continue;
            var winner = current.GroupBy(r => r.RelationTypeId!.Value)
                .OrderByDescending(g => g.Count()).ThenByDescending(g => g.Max(r => r.Id)).First();
            result[candidate.Key] = new EffectiveLabel(candidate.Key, winner.Key, current.Count, false);
        }
        return result;
    }
}
