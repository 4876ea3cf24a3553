using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.Labeling;

namespace WebApp.Web.RelationExtraction.Labeling;

/// <summary>An expert's progress on a project: labels given today (UTC) and items still to do.</summary>
public sealed record LabelingProgress(int LabelledToday, int QueueLeft);

/// <summary>κ of one relation against the rest.</summary>
public sealed record RelationAgreement(int RelationTypeId, string Relation, double? Kappa);

/// <summary>Agreement on the items more than one expert labelled: Cohen's κ for two experts, Fleiss' κ for more.</summary>
public sealed record AgreementSummary(string Method, int Items, int Experts, double? Kappa, IReadOnlyList<RelationAgreement> PerRelation);

/// <summary>A label that cannot be stored (unknown candidate or relation, a comment too long).</summary>
public sealed class LabelingException(string message) : Exception(message);

/// <summary>
/// Stores expert answers: each label or retraction with its audit record in one transaction, acknowledged only
/// after the commit. Nothing is ever deleted; undo is a retraction record.
/// </summary>
public sealed class LabelingService(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, LabelingQueue queue, TimeProvider clock,
    AutoRetrain autoRetrain)
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
        // One round trip for both checks.
        var known = await db.RelationProjects.AsNoTracking().Where(p => p.Id == projectId)
            .Select(p => new
            {
                HasCandidate = db.Candidates.Any(c => c.Id == candidateId && c.ProjectId == projectId),
                RelationKey = db.RelationTypes.Where(r => r.Id == relationTypeId && r.ProjectId == projectId).Select(r => r.Key).FirstOrDefault(),
            }).SingleOrDefaultAsync(ct);
        if (known is not { HasCandidate: true })
        {
            throw new LabelingException($"Candidate {candidateId} is not part of project {projectId}.");
        }
        var relationKey = known.RelationKey ?? throw new LabelingException($"Relation {relationTypeId} is not part of project {projectId}.");

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
        // The expert keeps their place on the item for good (the queue's index of who labelled what).
        await LabelingQueue.HoldAsync(db, projectId, candidateId, userId, label.CreatedAt, duration: null, ct);
        await audit.RecordAsync(db, user, "relations.labelled", nameof(ExpertLabel), label.Id.ToString(CultureInfo.InvariantCulture), null,
            new { label.ProjectId, label.CandidateId, label.RelationTypeId, Relation = relationKey, label.IsUnsure, label.Comment, label.DurationMs }, ct);
        await transaction.CommitAsync(ct);
        // The label is committed and acknowledged either way; retraining only follows from it.
        await autoRetrain.AfterCommitAsync(projectId);
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
        // The item goes back to the expert who took their label back, as an item they are reading.
        await LabelingQueue.HoldAsync(db, projectId, candidateId, userId, retraction.CreatedAt, queue.LockDuration, ct);
        await audit.RecordAsync(db, user, "relations.label-retracted", nameof(ExpertLabel), retraction.Id.ToString(CultureInfo.InvariantCulture),
            new { RetractedLabelId = latest.Id, latest.RelationTypeId }, new { retraction.ProjectId, retraction.CandidateId }, ct);
        await transaction.CommitAsync(ct);
        return retraction;
    }

    /// <summary>
    /// Sets how many experts label each item and which uncertainty orders the queue, with an audit record
    /// ("relations.labelling-settings-changed", before and after) in the same transaction. Returns the problems
    /// instead when the settings are not valid; nothing changes then.
    /// </summary>
    public async Task<IReadOnlyList<string>> UpdateSettingsAsync(int projectId, int overlap, string queueOrder, AuditActor user,
        CancellationToken ct = default)
    {
        var problems = QueueOrders.Validate(overlap, queueOrder).ToList();
        if (problems.Count > 0) return problems;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var project = await db.RelationProjects.SingleOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null) return [$"There is no relation project {projectId}."];
        var before = new { project.LabelOverlap, project.QueueOrder };
        if (before.LabelOverlap == overlap && before.QueueOrder == queueOrder) return [];
        (project.LabelOverlap, project.QueueOrder) = (overlap, queueOrder);
        await audit.RecordAsync(db, user, "relations.labelling-settings-changed", nameof(RelationProject),
            projectId.ToString(CultureInfo.InvariantCulture), before, new { project.LabelOverlap, project.QueueOrder }, ct);
        await transaction.CommitAsync(ct);
        return [];
    }

    /// <summary>Labels <paramref name="user"/> gave today (UTC) that still stand (<see cref="ExpertLabels.Current"/>), and the items left for them.</summary>
    public async Task<LabelingProgress> ProgressAsync(int projectId, AuditActor user, CancellationToken ct = default)
    {
        var userId = LabelingQueue.UserIdOf(user);
        var today = clock.GetUtcNow().UtcDateTime.Date;
        int labelled;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // The labels of theirs that stand and were given today: the same records the overview's "Expert labels" counts.
            labelled = await ExpertLabels.Current(db, projectId).CountAsync(l => l.UserId == userId && l.CreatedAt >= today, ct);
        }
        return new LabelingProgress(labelled, await queue.CountLeftAsync(projectId, user, ct));
    }
    /// <summary>
    /// Agreement of the experts' current labels on overlapping items; null when no item has two. With exactly two
    /// experts, Cohen's κ on the items both labelled; otherwise Fleiss' κ on the items with the most common number of raters.
    /// </summary>
    public async Task<AgreementSummary?> AgreementAsync(int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var records = await db.ExpertLabels.AsNoTracking()
            .Where(l => l.ProjectId == projectId && l.Kind != ExpertLabelKind.Adjudication)
            .OrderBy(l => l.Id).Select(l => new { l.CandidateId, l.UserId, l.Kind, l.RelationTypeId }).ToListAsync(ct);
        var items = records.GroupBy(r => r.CandidateId)
            .Select(g => g.GroupBy(r => r.UserId).Select(u => u.Last())
                .Where(r => r.Kind == ExpertLabelKind.Label && r.RelationTypeId is not null)
                .ToDictionary(r => r.UserId, r => r.RelationTypeId!.Value, StringComparer.Ordinal))
            .Where(labels => labels.Count >= 2).ToList();
        if (items.Count == 0) return null;
        var names = await db.RelationTypes.AsNoTracking().Where(r => r.ProjectId == projectId).ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        var experts = items.SelectMany(i => i.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (experts.Count == 2)
        {
            var pairs = items.Select(i => (i[experts[0]], i[experts[1]])).ToList();
            return new AgreementSummary("Cohen", pairs.Count, 2, Agreement.CohensKappa(pairs), PerRelation(Agreement.CohensKappaPerRelation(pairs)));
        }
        var raters = items.GroupBy(i => i.Count).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).First().Key;
        var ratings = items.Where(i => i.Count == raters).Select(i => (IReadOnlyList<int>)[.. i.Values]).ToList();
        return new AgreementSummary("Fleiss", ratings.Count, experts.Count, Agreement.FleissKappa(ratings), PerRelation(Agreement.FleissKappaPerRelation(ratings)));

        List<RelationAgreement> PerRelation(IReadOnlyDictionary<int, double?> kappas) =>
            [.. kappas.Select(k => new RelationAgreement(k.Key, names.GetValueOrDefault(k.Key, "?"), k.Value))];
    }
}
