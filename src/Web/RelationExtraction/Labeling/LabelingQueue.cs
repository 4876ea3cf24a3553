using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.Labeling;

namespace WebApp.Web.RelationExtraction.Labeling;

/// <summary>
/// One candidate as the labelling page shows it; <see cref="TokenWins"/> is the active model's evidence per token
/// (null without a model, or when its version was scored before evidence was stored).
/// </summary>
public sealed record LabelingItem(
    long CandidateId,
    IReadOnlyList<string> Tokens,
    int HeadStart,
    int HeadEnd,
    int TailStart,
    int TailEnd,
    string HeadName,
    string TailName,
    IReadOnlyList<int> DistantRelationTypeIds,
    int? PredictedRelationTypeId,
    double? Confidence,
    int? ModelNumber,
    IReadOnlyList<short>? TokenWins = null);

/// <summary>
/// Hands each expert the unlabelled candidate the active model is least sure of (smallest margin; by id without
/// a model), locked for them for a short while so no other expert gets it unless the project's overlap asks for
/// more than one expert per item.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is the labelling queue.")]
public sealed class LabelingQueue(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    // pg_advisory_xact_lock(class, project): one queue decision per project at a time, so two experts never
    // both see the same free slot.
    private const int AdvisoryLockClass = 0x4C51; // "LQ"

    public TimeSpan LockDuration { get; set; } = LabelLock.DefaultDuration;

    public Task<LabelingItem?> NextAsync(int projectId, AuditActor user, CancellationToken ct = default) =>
        NextAsync(projectId, user, [], ct);

    /// <summary>
    /// Picks and locks the next candidate for <paramref name="user"/>: not labelled or locked by them, not
    /// adjudicated, with fewer than the project's overlap of other experts labelling or holding it, not in
    /// <paramref name="skip"/>. Null when there is none.
    /// </summary>
    public async Task<LabelingItem?> NextAsync(int projectId, AuditActor user, IReadOnlyCollection<long> skip, CancellationToken ct = default)
    {
        var userId = UserIdOf(user);
        long? picked;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var project = await db.RelationProjects.AsNoTracking().Where(p => p.Id == projectId)
                .Select(p => new { p.ActiveModelVersionId, p.LabelOverlap }).SingleOrDefaultAsync(ct);
            if (project is null) return null;
            var now = clock.GetUtcNow().UtcDateTime;
            var skipIds = skip.ToArray();
            var overlap = Math.Max(1, project.LabelOverlap);

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockClass}, {projectId})", ct);
            await db.Database.ExecuteSqlAsync(
                $"""DELETE FROM "LabelLocks" WHERE "ProjectId" = {projectId} AND "ExpiresAt" <= {now}""", ct);
            picked = await db.Database.SqlQuery<long>($"""
                WITH current_labels AS (
                    SELECT DISTINCT ON (e."CandidateId", e."UserId") e."CandidateId", e."UserId", e."Kind"
                    FROM "ExpertLabels" e
                    WHERE e."ProjectId" = {projectId} AND e."Kind" <> 'Adjudication'
                    ORDER BY e."CandidateId", e."UserId", e."Id" DESC
                ), taken AS (
                    SELECT "CandidateId", "UserId" FROM current_labels WHERE "Kind" = 'Label'
                    UNION
                    SELECT "CandidateId", "UserId" FROM "LabelLocks" WHERE "ProjectId" = {projectId} AND "ExpiresAt" > {now}
                ), busy AS (
                    SELECT "CandidateId" FROM taken GROUP BY "CandidateId"
                    HAVING bool_or("UserId" = {userId}) OR count(*) >= {overlap}
                )
                SELECT c."Id" AS "Value"
                FROM "Candidates" c
                LEFT JOIN "Predictions" p ON p."ModelVersionId" = {project.ActiveModelVersionId} AND p."CandidateId" = c."Id"
                WHERE c."ProjectId" = {projectId}
                  AND NOT EXISTS (SELECT 1 FROM busy b WHERE b."CandidateId" = c."Id")
                  AND NOT EXISTS (SELECT 1 FROM "ExpertLabels" a WHERE a."CandidateId" = c."Id" AND a."Kind" = 'Adjudication')
                  AND NOT (c."Id" = ANY({skipIds}))
                ORDER BY p."Margin" NULLS LAST, c."Id"
                LIMIT 1
                """).Cast<long?>().FirstOrDefaultAsync(ct);
            if (picked is null) return null;
            await UpsertLockAsync(db, projectId, picked.Value, userId, now + LockDuration, ct);
            await transaction.CommitAsync(ct);
        }
        return await ItemAsync(projectId, picked.Value, ct);
    }

    /// <summary>How many candidates <paramref name="user"/> could still be given (their own locked ones included).</summary>
    public async Task<int> CountLeftAsync(int projectId, AuditActor user, CancellationToken ct = default)
    {
        var userId = UserIdOf(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var overlap = await db.RelationProjects.Where(p => p.Id == projectId).Select(p => (int?)p.LabelOverlap).SingleOrDefaultAsync(ct);
        if (overlap is null) return 0;
        var now = clock.GetUtcNow().UtcDateTime;
        var limit = Math.Max(1, overlap.Value);
        return await db.Database.SqlQuery<int>($"""
            WITH current_labels AS (
                SELECT DISTINCT ON (e."CandidateId", e."UserId") e."CandidateId", e."UserId", e."Kind"
                FROM "ExpertLabels" e
                WHERE e."ProjectId" = {projectId} AND e."Kind" <> 'Adjudication'
                ORDER BY e."CandidateId", e."UserId", e."Id" DESC
            ), taken AS (
                SELECT "CandidateId", "UserId", false AS "IsLock" FROM current_labels WHERE "Kind" = 'Label'
                UNION ALL
                SELECT "CandidateId", "UserId", true FROM "LabelLocks" WHERE "ProjectId" = {projectId} AND "ExpiresAt" > {now}
            ), busy AS (
                SELECT "CandidateId" FROM taken GROUP BY "CandidateId"
                HAVING bool_or("UserId" = {userId} AND NOT "IsLock")
                    OR (NOT bool_or("UserId" = {userId}) AND count(DISTINCT "UserId") >= {limit})
            )
            SELECT count(*)::int AS "Value"
            FROM "Candidates" c
            WHERE c."ProjectId" = {projectId}
              AND NOT EXISTS (SELECT 1 FROM busy b WHERE b."CandidateId" = c."Id")
              AND NOT EXISTS (SELECT 1 FROM "ExpertLabels" a WHERE a."CandidateId" = c."Id" AND a."Kind" = 'Adjudication')
            """).SingleAsync(ct);
    }

    /// <summary>Locks a given candidate for <paramref name="user"/> (after an undo brings it back), whatever the overlap.</summary>
    public async Task<LabelingItem?> LockAsync(int projectId, long candidateId, AuditActor user, CancellationToken ct = default)
    {
        var userId = UserIdOf(user);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Candidates.AnyAsync(c => c.Id == candidateId && c.ProjectId == projectId, ct)) return null;
            await UpsertLockAsync(db, projectId, candidateId, userId, clock.GetUtcNow().UtcDateTime + LockDuration, ct);
        }
        return await ItemAsync(projectId, candidateId, ct);
    }

    /// <summary>Extends <paramref name="user"/>'s locks on the given candidates (the page keeps what it shows and has prefetched).</summary>
    public async Task RenewAsync(int projectId, IReadOnlyCollection<long> candidateIds, AuditActor user, CancellationToken ct = default)
    {
        var userId = UserIdOf(user);
        var ids = candidateIds.ToArray();
        if (ids.Length == 0) return;
        var expiresAt = clock.GetUtcNow().UtcDateTime + LockDuration;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.LabelLocks.Where(l => l.ProjectId == projectId && l.UserId == userId && ids.Contains(l.CandidateId))
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.ExpiresAt, expiresAt), ct);
    }

    /// <summary>Gives a candidate back to the queue (skip, leaving the page).</summary>
    public async Task ReleaseAsync(int projectId, long candidateId, AuditActor user, CancellationToken ct = default)
    {
        var userId = UserIdOf(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.LabelLocks.Where(l => l.ProjectId == projectId && l.CandidateId == candidateId && l.UserId == userId).ExecuteDeleteAsync(ct);
    }

    /// <summary>The candidate with its sentence, entities, distant labels and the active model's prediction.</summary>
    public async Task<LabelingItem?> ItemAsync(int projectId, long candidateId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await (
            from c in db.Candidates.AsNoTracking()
            where c.Id == candidateId && c.ProjectId == projectId
            join s in db.Sentences on c.SentenceId equals s.Id
            join h in db.EntityMentions on c.HeadMentionId equals h.Id
            join t in db.EntityMentions on c.TailMentionId equals t.Id
            join he in db.KbEntities on h.EntityId equals he.Id
            join te in db.KbEntities on t.EntityId equals te.Id
            select new { c.Id, c.BagId, s.Tokens, h.Start, h.End, TStart = t.Start, TEnd = t.End, HeadName = he.Name, TailName = te.Name })
            .SingleOrDefaultAsync(ct);
        if (row is null) return null;
        var distant = await db.DistantLabels.AsNoTracking().Where(l => l.BagId == row.BagId)
            .OrderBy(l => l.RelationTypeId).Select(l => l.RelationTypeId).ToListAsync(ct);
        var prediction = await (
            from p in db.RelationProjects.AsNoTracking()
            where p.Id == projectId
            join v in db.ModelVersions on p.ActiveModelVersionId equals v.Id
            join pr in db.Predictions on v.Id equals pr.ModelVersionId
            where pr.CandidateId == candidateId
            select new { pr.TopRelationTypeId, pr.Confidence, v.Number, pr.TokenWins }).SingleOrDefaultAsync(ct);
        return new LabelingItem(row.Id, row.Tokens, row.Start, row.End, row.TStart, row.TEnd, row.HeadName, row.TailName, distant,
            prediction?.TopRelationTypeId, prediction?.Confidence, prediction?.Number, prediction?.TokenWins);
    }

    private static Task<int> UpsertLockAsync(AppDbContext db, int projectId, long candidateId, string userId, DateTime expiresAt, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO "LabelLocks" ("CandidateId", "UserId", "ProjectId", "ExpiresAt")
            VALUES ({candidateId}, {userId}, {projectId}, {expiresAt})
            ON CONFLICT ("CandidateId", "UserId") DO UPDATE SET "ExpiresAt" = excluded."ExpiresAt"
            """, ct);

    internal static string UserIdOf(AuditActor user) =>
        user.UserId ?? throw new ArgumentException("Labelling needs a signed-in user.", nameof(user));
}
