using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;

namespace WebApp.Web.RelationExtraction.Labeling;

/// <summary>One expert's current label of a candidate in conflict.</summary>
public sealed record ConflictLabel(long LabelId, long CandidateId, string UserId, string UserName, int RelationTypeId, bool IsUnsure, string? Comment, DateTime CreatedAt);

/// <summary>A lead expert's or admin's decision (the latest adjudication of the candidate).</summary>
public sealed record ConflictDecision(long AdjudicationId, int RelationTypeId, string DecidedBy, string? Note, DateTime DecidedAt);

/// <summary>A candidate with the experts' current labels and, once decided, the decision.</summary>
public sealed record ConflictItem(LabelingItem Item, IReadOnlyList<ConflictLabel> Labels, ConflictDecision? Decision);

/// <summary>One page of conflicts and how many there are in all.</summary>
public sealed record ConflictPage(int Total, IReadOnlyList<ConflictItem> Items);

/// <summary>
/// Conflicts between experts: candidates whose experts' current labels (each expert's latest label or
/// retraction, adjudications aside) name more than one relation and that nobody has adjudicated yet. A lead
/// expert or admin decides one with an adjudication record, which beats every expert label of the candidate.
/// </summary>
public sealed class ConflictService(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, TimeProvider clock, AutoRetrain autoRetrain)
{
    public const int MaxNoteLength = LabelingService.MaxCommentLength;

    // pg_advisory_xact_lock(class, project): two deciders of one conflict never both write a decision.
    private const int AdvisoryLockClass = 0x4144; // "AD"

    /// <summary>Open (undecided) conflicts, oldest candidate first.</summary>
    public async Task<ConflictPage> OpenAsync(int projectId, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var total = await OpenCountAsync(db, projectId, ct);
        var ids = await db.Database.SqlQueryRaw<long>(
            OpenConflictsSql + """SELECT "CandidateId" AS "Value" FROM open_conflicts ORDER BY "CandidateId" OFFSET @skip LIMIT @take""",
            new NpgsqlParameter("project", projectId), new NpgsqlParameter("skip", skip), new NpgsqlParameter("take", take)).ToListAsync(ct);
        return new ConflictPage(total, await ItemsAsync(db, projectId, ids, ct));
    }

    /// <summary>How many conflicts wait for a decision.</summary>
    public async Task<int> CountOpenAsync(int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await OpenCountAsync(db, projectId, ct);
    }

    /// <summary>Decided candidates, the latest decision first.</summary>
    public async Task<ConflictPage> DecidedAsync(int projectId, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decided = db.ExpertLabels.AsNoTracking().Where(l => l.ProjectId == projectId && l.Kind == ExpertLabelKind.Adjudication);
        var total = await decided.Select(l => l.CandidateId).Distinct().CountAsync(ct);
        var ids = await decided.GroupBy(l => l.CandidateId).Select(g => new { CandidateId = g.Key, Latest = g.Max(l => l.Id) })
            .OrderByDescending(g => g.Latest).Skip(skip).Take(take).Select(g => g.CandidateId).ToListAsync(ct);
        return new ConflictPage(total, await ItemsAsync(db, projectId, ids, ct));
    }

    /// <summary>
    /// Decides an open conflict: an adjudication record with <paramref name="relationTypeId"/> and the audit record
    /// "relations.adjudicated" (before: the conflicting labels, after: the decision) in one transaction.
    /// </summary>
    public async Task<ExpertLabel> AdjudicateAsync(int projectId, long candidateId, int relationTypeId, string? note, AuditActor decider,
        CancellationToken ct = default)
    {
        var userId = LabelingQueue.UserIdOf(decider);
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note?.Length > MaxNoteLength) throw new LabelingException($"A note has at most {MaxNoteLength} characters.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Candidates.AnyAsync(c => c.Id == candidateId && c.ProjectId == projectId, ct))
        {
            throw new LabelingException($"Candidate {candidateId} is not part of project {projectId}.");
        }
        var relations = await db.RelationTypes.AsNoTracking().Where(r => r.ProjectId == projectId).ToDictionaryAsync(r => r.Id, r => r.Key, ct);
        if (!relations.TryGetValue(relationTypeId, out var relationKey))
        {
            throw new LabelingException($"Relation {relationTypeId} is not part of project {projectId}.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockClass}, {projectId})", ct);
        var decided = await db.ExpertLabels.AsNoTracking()
            .Where(l => l.ProjectId == projectId && l.CandidateId == candidateId && l.Kind == ExpertLabelKind.Adjudication)
            .OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        if (decided is not null)
        {
            throw new LabelingException($"Candidate {candidateId} was already decided by {decided.UserName}.");
        }
        var labels = await CurrentLabelsAsync(db, projectId, [candidateId], ct);
        if (labels.Select(l => l.RelationTypeId).Distinct().Count() < 2)
        {
            throw new LabelingException($"Candidate {candidateId} is not in conflict (any more): its experts' current labels agree.");
        }

        var adjudication = new ExpertLabel
        {
            ProjectId = projectId,
            CandidateId = candidateId,
            Kind = ExpertLabelKind.Adjudication,
            RelationTypeId = relationTypeId,
            UserId = userId,
            UserName = decider.Name,
            Comment = note,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ExpertLabels.Add(adjudication);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, decider, "relations.adjudicated", nameof(ExpertLabel), adjudication.Id.ToString(CultureInfo.InvariantCulture),
            new
            {
                ProjectId = projectId,
                CandidateId = candidateId,
                Labels = labels.Select(l => new
                {
                    l.LabelId,
                    l.UserName,
                    l.RelationTypeId,
                    Relation = relations.GetValueOrDefault(l.RelationTypeId, "?"),
                    l.IsUnsure,
                    l.Comment,
                }),
            },
            new { ProjectId = projectId, CandidateId = candidateId, RelationTypeId = relationTypeId, Relation = relationKey, Note = note }, ct);
        await transaction.CommitAsync(ct);
        // A decision changes the training data like a label does.
        await autoRetrain.AfterCommitAsync(projectId);
        return adjudication;
    }

    // Each expert's latest non-adjudication record per candidate; a candidate is in conflict when the labels
    // among them (retractions left out) name two or more relations, and open while no adjudication exists.
    private const string OpenConflictsSql = """
        WITH current_labels AS (
            SELECT DISTINCT ON (e."CandidateId", e."UserId") e."CandidateId", e."Kind", e."RelationTypeId"
            FROM "ExpertLabels" e
            WHERE e."ProjectId" = @project AND e."Kind" <> 'Adjudication'
            ORDER BY e."CandidateId", e."UserId", e."Id" DESC
        ), open_conflicts AS (
            SELECT l."CandidateId" FROM current_labels l
            WHERE l."Kind" = 'Label'
              AND NOT EXISTS (SELECT 1 FROM "ExpertLabels" a WHERE a."CandidateId" = l."CandidateId" AND a."Kind" = 'Adjudication')
            GROUP BY l."CandidateId"
            HAVING count(DISTINCT l."RelationTypeId") > 1
        )
        """;

    private static Task<int> OpenCountAsync(AppDbContext db, int projectId, CancellationToken ct) =>
        db.Database.SqlQueryRaw<int>(OpenConflictsSql + """SELECT count(*)::int AS "Value" FROM open_conflicts""",
            new NpgsqlParameter("project", projectId)).SingleAsync(ct);

    private static async Task<List<ConflictLabel>> CurrentLabelsAsync(AppDbContext db, int projectId, long[] candidateIds, CancellationToken ct) =>
        await db.ExpertLabels.FromSql($"""
                SELECT DISTINCT ON ("CandidateId", "UserId") * FROM "ExpertLabels"
                WHERE "ProjectId" = {projectId} AND "Kind" <> 'Adjudication' AND "CandidateId" = ANY({candidateIds})
                ORDER BY "CandidateId", "UserId", "Id" DESC
                """).AsNoTracking()
            .Where(l => l.Kind == ExpertLabelKind.Label && l.RelationTypeId != null)
            .OrderBy(l => l.CandidateId).ThenBy(l => l.CreatedAt)
            .Select(l => new ConflictLabel(l.Id, l.CandidateId, l.UserId, l.UserName, l.RelationTypeId!.Value, l.IsUnsure, l.Comment, l.CreatedAt))
            .ToListAsync(ct);

    /// <summary>The candidates in the order given, each with its sentence, distant labels, prediction, labels and decision (four queries).</summary>
    private static async Task<List<ConflictItem>> ItemsAsync(AppDbContext db, int projectId, List<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var idArray = ids.ToArray();
        var rows = await (
            from c in db.Candidates.AsNoTracking()
            where c.ProjectId == projectId && idArray.Contains(c.Id)
            join s in db.Sentences on c.SentenceId equals s.Id
            join h in db.EntityMentions on c.HeadMentionId equals h.Id
            join t in db.EntityMentions on c.TailMentionId equals t.Id
            join he in db.KbEntities on h.EntityId equals he.Id
            join te in db.KbEntities on t.EntityId equals te.Id
            select new { c.Id, c.BagId, s.Tokens, h.Start, h.End, TStart = t.Start, TEnd = t.End, HeadName = he.Name, TailName = te.Name })
            .ToDictionaryAsync(r => r.Id, ct);
        var bagIds = rows.Values.Select(r => r.BagId).Distinct().ToArray();
        var distant = (await db.DistantLabels.AsNoTracking().Where(l => bagIds.Contains(l.BagId))
                .Select(l => new { l.BagId, l.RelationTypeId }).ToListAsync(ct))
            .ToLookup(l => l.BagId, l => l.RelationTypeId);
        var predictions = await (
            from p in db.RelationProjects.AsNoTracking()
            where p.Id == projectId
            join v in db.ModelVersions on p.ActiveModelVersionId equals v.Id
            join pr in db.Predictions on v.Id equals pr.ModelVersionId
            where idArray.Contains(pr.CandidateId)
            select new { pr.CandidateId, pr.TopRelationTypeId, pr.Confidence, v.Number }).ToDictionaryAsync(p => p.CandidateId, ct);
        var labels = (await CurrentLabelsAsync(db, projectId, idArray, ct)).ToLookup(l => l.CandidateId);
        var decisions = await db.ExpertLabels.FromSql($"""
                SELECT DISTINCT ON ("CandidateId") * FROM "ExpertLabels"
                WHERE "ProjectId" = {projectId} AND "Kind" = 'Adjudication' AND "CandidateId" = ANY({idArray})
                ORDER BY "CandidateId", "Id" DESC
                """).AsNoTracking()
            .ToDictionaryAsync(l => l.CandidateId, l => new ConflictDecision(l.Id, l.RelationTypeId ?? 0, l.UserName, l.Comment, l.CreatedAt), ct);
        return [.. ids.Where(rows.ContainsKey).Select(id =>
        {
            var row = rows[id];
            var prediction = predictions.GetValueOrDefault(id);
            var item = new LabelingItem(row.Id, row.Tokens, row.Start, row.End, row.TStart, row.TEnd, row.HeadName, row.TailName,
                [.. distant[row.BagId].Order()], prediction?.TopRelationTypeId, prediction?.Confidence, prediction?.Number);
            return new ConflictItem(item, [.. labels[id]], decisions.GetValueOrDefault(id));
        })];
    }
}
