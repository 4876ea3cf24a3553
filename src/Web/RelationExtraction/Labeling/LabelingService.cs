using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;

namespace WebApp.Web.RelationExtraction.Labeling;

/// <summary>An expert's progress on a project: labels given today (UTC) and items still to do.</summary>
public sealed record LabelingProgress(int LabelledToday, int QueueLeft);

/// <summary>A label that cannot be stored (unknown candidate or relation, a comment too long).</summary>
public sealed class LabelingException(string message) : Exception(message);

/// <summary>
/// Stores expert answers: each label or retraction with its audit record in one transaction, acknowledged only
/// after the commit. Nothing is ever deleted; undo is a retraction record.
/// </summary>
public sealed class LabelingService(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, LabelingQueue queue, TimeProvider clock)
{
    public const int MaxCommentLength = 2000;

    /// <summary>Writes the label and its audit record ("relations.labelled"), releases the item's lock, returns after commit.</summary>
    public async Task<ExpertLabel> SubmitAsync(int projectId, long candidateId, int relationTypeId, bool isUnsure, string? comment,
        int durationMs, AuditActor user, CancellationToken ct = default)
    {
        var userId = LabelingQueue.UserIdOf(user);
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment?.Length > MaxCommentLength) throw new LabelingException($"A comment has at most {MaxCommentLength} characters.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Candidates.AnyAsync(c => c.Id == candidateId && c.ProjectId == projectId, ct))
        {
            throw new LabelingException($"Candidate {candidateId} is not part of project {projectId}.");
        }
        var relation = await db.RelationTypes.AsNoTracking().Where(r => r.Id == relationTypeId && r.ProjectId == projectId)
            .Select(r => new { r.Key, r.Name }).SingleOrDefaultAsync(ct)
            ?? throw new LabelingException($"Relation {relationTypeId} is not part of project {projectId}.");

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var label = new ExpertLabel
        {
            ProjectId = projectId,
            CandidateId = candidateId,
            Kind = ExpertLabelKind.Label,
            RelationTypeId = relationTypeId,
            UserId = userId,
            UserName = user.Name,
            IsUnsure = isUnsure,
            Comment = comment,
            DurationMs = Math.Max(0, durationMs),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ExpertLabels.Add(label);
        await db.SaveChangesAsync(ct);
        await db.LabelLocks.Where(l => l.CandidateId == candidateId && l.UserId == userId).ExecuteDeleteAsync(ct);
        await audit.RecordAsync(db, user, "relations.labelled", nameof(ExpertLabel), label.Id.ToString(CultureInfo.InvariantCulture), null,
            new { label.ProjectId, label.CandidateId, label.RelationTypeId, Relation = relation.Key, label.IsUnsure, label.Comment, label.DurationMs }, ct);
        await transaction.CommitAsync(ct);
        return label;
    }

    /// <summary>
    /// Takes back <paramref name="user"/>'s current label of the candidate with a retraction record (+ audit
    /// "relations.label-retracted"). Null when they have no current label of it.
    /// </summary>
    public async Task<ExpertLabel?> UndoAsync(int projectId, long candidateId, AuditActor user, CancellationToken ct = default)
    {
        var userId = LabelingQueue.UserIdOf(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var latest = await db.ExpertLabels.AsNoTracking()
            .Where(l => l.ProjectId == projectId && l.CandidateId == candidateId && l.UserId == userId && l.Kind != ExpertLabelKind.Adjudication)
            .OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        if (latest is not { Kind: ExpertLabelKind.Label }) return null;
        var retraction = new ExpertLabel
        {
            ProjectId = projectId,
            CandidateId = candidateId,
            Kind = ExpertLabelKind.Retraction,
            UserId = userId,
            UserName = user.Name,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ExpertLabels.Add(retraction);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, user, "relations.label-retracted", nameof(ExpertLabel), retraction.Id.ToString(CultureInfo.InvariantCulture),
            new { RetractedLabelId = latest.Id, latest.RelationTypeId }, new { retraction.ProjectId, retraction.CandidateId }, ct);
        await transaction.CommitAsync(ct);
        return retraction;
    }

    /// <summary>Labels <paramref name="user"/> gave today (UTC) less those retracted today, and the items left for them.</summary>
    public async Task<LabelingProgress> ProgressAsync(int projectId, AuditActor user, CancellationToken ct = default)
    {
        var userId = LabelingQueue.UserIdOf(user);
        var today = clock.GetUtcNow().UtcDateTime.Date;
        int labelled;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var counts = await db.ExpertLabels.AsNoTracking()
                .Where(l => l.ProjectId == projectId && l.UserId == userId && l.CreatedAt >= today && l.Kind != ExpertLabelKind.Adjudication)
                .GroupBy(l => l.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
            labelled = Math.Max(0, counts.Where(c => c.Key == ExpertLabelKind.Label).Sum(c => c.Count)
                - counts.Where(c => c.Key == ExpertLabelKind.Retraction).Sum(c => c.Count));
        }
        return new LabelingProgress(labelled, await queue.CountLeftAsync(projectId, user, ct));
    }
}
