using System.Runtime.CompilerServices;
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
/// Hands each expert the unlabelled candidate the active model is least sure of (by the project's
/// <see cref="QueueOrders"/>, smallest margin by default; by id without a model), claimed for them for a short while so no other expert gets it unless the project's overlap asks for
/// more than one expert per item. Claims are <see cref="LabelingClaim"/> places: experts claim them concurrently,
/// without a project-wide lock, and the unique (candidate, place) key settles races.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is the labelling queue.")]
public sealed class LabelingQueue(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    // Candidates fetched per pick: when other experts win the race for the first, the next ones are tried
    // before the pool is read again.
    private const int PickBatch = 8;

    public TimeSpan LockDuration { get; set; } = LabelingClaim.DefaultDuration;

    public Task<LabelingItem?> NextAsync(int projectId, AuditActor user, CancellationToken ct = default) =>
        NextAsync(projectId, user, [], ct);

    /// <summary>
    /// Picks and claims the next candidate for <paramref name="user"/>: not labelled or held by them, not
    /// adjudicated, with a free place (fewer than the project's overlap of other experts labelling or holding it),
    /// not in <paramref name="skip"/>. Null when there is none.
    /// </summary>
    public async Task<LabelingItem?> NextAsync(int projectId, AuditActor user, IReadOnlyCollection<long> skip, CancellationToken ct = default)
    {
        var userId = UserIdOf(user);
        long? claimed = null;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var project = await db.RelationProjects.AsNoTracking().Where(p => p.Id == projectId)
                .Select(p => new { p.ActiveModelVersionId, p.LabelOverlap, p.QueueOrder }).SingleOrDefaultAsync(ct);
            if (project is null) return null;
            var now = clock.GetUtcNow().UtcDateTime;
            var overlap = Math.Max(1, project.LabelOverlap);
            var excluded = new List<long>(skip);
            // The user's own lapsed claims go, so those items can come back to them.
            await db.Database.ExecuteSqlAsync($"""
                DELETE FROM "LabelingClaims"
                WHERE "ProjectId" = {projectId} AND "UserId" = {userId} AND NOT "IsLabelled" AND "ExpiresAt" <= {now}
                """, ct);
            // Lost races per candidate: someone took the place picked, but with overlap another place may still be
            // free for this user, so the candidate is picked again (with its next free place) until all could be gone.
            var lost = new Dictionary<long, int>();
            while (claimed is null)
            {
                var picks = await PickAsync(db, projectId, project.ActiveModelVersionId, project.QueueOrder, userId, overlap, [.. excluded], now, ct);
                if (picks.Count == 0) return null;
                foreach (var pick in picks)
                {
                    if (await TryClaimAsync(db, projectId, pick.CandidateId, pick.Place, userId, now, ct))
                    {
                        claimed = pick.CandidateId;
                        break;
                    }
                    lost[pick.CandidateId] = lost.GetValueOrDefault(pick.CandidateId) + 1;
                    if (lost[pick.CandidateId] >= overlap) excluded.Add(pick.CandidateId);
                }
            }
        }
        return await ItemAsync(projectId, claimed.Value, ct);
    }

    private sealed record Pick(long CandidateId, int Place);

    /// <summary>
    /// Up to <see cref="PickBatch"/> candidates in queue order with a free place each (a place nobody holds, or
    /// whose reading claim lapsed). Walks the active model's predictions along the index of the project's
    /// <see cref="QueueOrders"/> measure, most uncertain first, then candidates without a prediction (all of them
    /// when there is no model) by id.
    /// </summary>
    private static async Task<List<Pick>> PickAsync(AppDbContext db, int projectId, int? modelVersionId, string queueOrder, string userId,
        int overlap, long[] excluded, DateTime now, CancellationToken ct)
    {
        if (modelVersionId is { } version)
        {
            // The diverse batch first (its own small index), then on by margin once it is used up.
            if (queueOrder == QueueOrders.Diverse
                && await PickPredictedAsync(db, version, "AND p.\"DiverseRank\" IS NOT NULL", "p.\"DiverseRank\"", userId, overlap, excluded, now, ct)
                    is { Count: > 0 } diverse)
            {
                return diverse;
            }
            // Written into the SQL text, so only these fixed strings, never user input.
            var orderBy = queueOrder switch
            {
                QueueOrders.LeastConfidence => "p.\"Confidence\", p.\"CandidateId\"",
                QueueOrders.Entropy => "p.\"Entropy\" DESC, p.\"CandidateId\"",
                _ => "p.\"Margin\", p.\"CandidateId\"",
            };
            var picks = await PickPredictedAsync(db, version, "", orderBy, userId, overlap, excluded, now, ct);
            if (picks.Count > 0) return picks;
        }
        return await PickUnpredictedAsync(db, projectId, modelVersionId, userId, overlap, excluded, now, ct);
    }

    /// <summary>Free candidates of the version's predictions in the given order; the SQL fragments are fixed strings.</summary>
    private static Task<List<Pick>> PickPredictedAsync(AppDbContext db, int version, string filter, string orderBy, string userId, int overlap,
        long[] excluded, DateTime now, CancellationToken ct) =>
        db.Database.SqlQuery<Pick>(FormattableStringFactory.Create($$"""
                SELECT p."CandidateId", f."Place"
                FROM "Predictions" p
                CROSS JOIN LATERAL (
                    SELECT min(s)::int AS "Place" FROM generate_series(0, {0} - 1) s
                    WHERE NOT EXISTS (SELECT 1 FROM "LabelingClaims" l
                                      WHERE l."CandidateId" = p."CandidateId" AND l."Place" = s AND (l."IsLabelled" OR l."ExpiresAt" > {1}))
                ) f
                WHERE p."ModelVersionId" = {2} {{filter}}
                  AND f."Place" IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM "LabelingClaims" m WHERE m."CandidateId" = p."CandidateId" AND m."UserId" = {3})
                  AND NOT EXISTS (SELECT 1 FROM "ExpertLabels" a WHERE a."CandidateId" = p."CandidateId" AND a."Kind" = 'Adjudication')
                  AND NOT (p."CandidateId" = ANY({4}))
                ORDER BY {{orderBy}}
                LIMIT {5}
                """, overlap, now, version, userId, excluded, PickBatch)).ToListAsync(ct);

    /// <summary>Free candidates the version has no prediction for (all of them without a model), by id.</summary>
    private static Task<List<Pick>> PickUnpredictedAsync(AppDbContext db, int projectId, int? modelVersionId, string userId, int overlap,
        long[] excluded, DateTime now, CancellationToken ct) =>
        db.Database.SqlQuery<Pick>($"""
            SELECT c."Id" AS "CandidateId", f."Place"
            FROM "Candidates" c
            CROSS JOIN LATERAL (
                SELECT min(s)::int AS "Place" FROM generate_series(0, {overlap} - 1) s
                WHERE NOT EXISTS (SELECT 1 FROM "LabelingClaims" l
                                  WHERE l."CandidateId" = c."Id" AND l."Place" = s AND (l."IsLabelled" OR l."ExpiresAt" > {now}))
            ) f
            WHERE c."ProjectId" = {projectId}
              AND f."Place" IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM "Predictions" p WHERE p."ModelVersionId" = {modelVersionId} AND p."CandidateId" = c."Id")
              AND NOT EXISTS (SELECT 1 FROM "LabelingClaims" m WHERE m."CandidateId" = c."Id" AND m."UserId" = {userId})
              AND NOT EXISTS (SELECT 1 FROM "ExpertLabels" a WHERE a."CandidateId" = c."Id" AND a."Kind" = 'Adjudication')
              AND NOT (c."Id" = ANY({excluded}))
            ORDER BY c."Id"
            LIMIT {PickBatch}
            """).ToListAsync(ct);

    /// <summary>
    /// Claims the place for <paramref name="userId"/> in one statement: inserts it, or takes it over when its
    /// reading claim lapsed. False when someone else holds it now (they committed first).
    /// </summary>
    private async Task<bool> TryClaimAsync(AppDbContext db, int projectId, long candidateId, int place, string userId, DateTime now,
        CancellationToken ct)
    {
        var expiresAt = now + LockDuration;
        try
        {
            var rows = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "LabelingClaims" ("CandidateId", "Place", "UserId", "ProjectId", "ExpiresAt", "IsLabelled")
                VALUES ({candidateId}, {place}, {userId}, {projectId}, {expiresAt}, false)
                ON CONFLICT ("CandidateId", "Place") DO UPDATE
                    SET "UserId" = excluded."UserId", "ExpiresAt" = excluded."ExpiresAt", "IsLabelled" = false
                    WHERE NOT "LabelingClaims"."IsLabelled" AND "LabelingClaims"."ExpiresAt" <= {now}
                """, ct);
            return rows == 1;
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation)
        {
            return false; // the same expert claimed this item from another tab a moment ago
        }
    }

    /// <summary>How many candidates <paramref name="user"/> could still be given (the ones they hold included).</summary>
    public async Task<int> CountLeftAsync(int projectId, AuditActor user, CancellationToken ct = default)
    {
        var userId = UserIdOf(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var overlap = await db.RelationProjects.Where(p => p.Id == projectId).Select(p => (int?)p.LabelOverlap).SingleOrDefaultAsync(ct);
        if (overlap is null) return 0;
        var now = clock.GetUtcNow().UtcDateTime;
        var limit = Math.Max(1, overlap.Value);
        // All candidates less the few that are out of reach (claims and adjudications are small next to the pool).
        return await db.Database.SqlQuery<int>($"""
            WITH out_of_reach AS (
                SELECT "CandidateId" FROM "LabelingClaims"
                WHERE "ProjectId" = {projectId} AND ("IsLabelled" OR "ExpiresAt" > {now})
                GROUP BY "CandidateId"
                HAVING bool_or("UserId" = {userId} AND "IsLabelled")
                    OR (NOT bool_or("UserId" = {userId}) AND count(*) >= {limit})
                UNION
                SELECT "CandidateId" FROM "ExpertLabels" WHERE "ProjectId" = {projectId} AND "Kind" = 'Adjudication'
            )
            SELECT ((SELECT count(*) FROM "Candidates" WHERE "ProjectId" = {projectId}) - (SELECT count(*) FROM out_of_reach))::int AS "Value"
            """).SingleAsync(ct);
    }

    /// <summary>Claims a given candidate for <paramref name="user"/> (after an undo brings it back), whatever the overlap.</summary>
    public async Task<LabelingItem?> LockAsync(int projectId, long candidateId, AuditActor user, CancellationToken ct = default)
    {
        var userId = UserIdOf(user);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Candidates.AnyAsync(c => c.Id == candidateId && c.ProjectId == projectId, ct)) return null;
            await HoldAsync(db, projectId, candidateId, userId, clock.GetUtcNow().UtcDateTime, LockDuration, ct);
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
        await db.LabelingClaims.Where(l => l.ProjectId == projectId && l.UserId == userId && !l.IsLabelled && ids.Contains(l.CandidateId))
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.ExpiresAt, expiresAt), ct);
    }

    /// <summary>Gives a candidate back to the queue (skip, leaving the page).</summary>
    public async Task ReleaseAsync(int projectId, long candidateId, AuditActor user, CancellationToken ct = default)
    {
        var userId = UserIdOf(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.LabelingClaims.Where(l => l.ProjectId == projectId && l.CandidateId == candidateId && l.UserId == userId && !l.IsLabelled)
            .ExecuteDeleteAsync(ct);
    }

    /// <summary>The candidate with its sentence, entities, distant labels and the active model's prediction.</summary>
    public async Task<LabelingItem?> ItemAsync(int projectId, long candidateId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One round trip: the item is on the path between two labels.
        var row = await (
            from c in db.Candidates.AsNoTracking()
            where c.Id == candidateId && c.ProjectId == projectId
            join s in db.Sentences on c.SentenceId equals s.Id
            join h in db.EntityMentions on c.HeadMentionId equals h.Id
            join t in db.EntityMentions on c.TailMentionId equals t.Id
            join he in db.KbEntities on h.EntityId equals he.Id
            join te in db.KbEntities on t.EntityId equals te.Id
            select new
            {
                c.Id,
                s.Tokens,
                h.Start,
                h.End,
                TStart = t.Start,
                TEnd = t.End,
                HeadName = he.Name,
                TailName = te.Name,
                Distant = db.DistantLabels.Where(l => l.BagId == c.BagId).OrderBy(l => l.RelationTypeId).Select(l => l.RelationTypeId).ToList(),
                Prediction = (
                    from p in db.RelationProjects
                    where p.Id == projectId
                    join v in db.ModelVersions on p.ActiveModelVersionId equals v.Id
                    join pr in db.Predictions on v.Id equals pr.ModelVersionId
                    where pr.CandidateId == c.Id
                    select new { pr.TopRelationTypeId, pr.Confidence, v.Number, pr.TokenWins }).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct);
        if (row is null) return null;
        return new LabelingItem(row.Id, row.Tokens, row.Start, row.End, row.TStart, row.TEnd, row.HeadName, row.TailName, row.Distant,
            row.Prediction?.TopRelationTypeId, row.Prediction?.Confidence, row.Prediction?.Number, row.Prediction?.TokenWins);
    }

    /// <summary>
    /// Gives <paramref name="userId"/> a place on the candidate whatever the overlap: keeps theirs when they have
    /// one, else takes the first free or lapsed place, else opens one beyond the overlap (an answer is never refused
    /// for want of a place). With <paramref name="duration"/> the place is a reading claim; without, a labelled one.
    /// Runs inside the caller's transaction when there is one.
    /// </summary>
    internal static async Task HoldAsync(AppDbContext db, int projectId, long candidateId, string userId, DateTime now, TimeSpan? duration,
        CancellationToken ct)
    {
        var labelled = duration is null;
        var expiresAt = now + (duration ?? TimeSpan.Zero);
        for (var attempt = 0; ; attempt++)
        {
            var updated = await db.Database.ExecuteSqlAsync($"""
                UPDATE "LabelingClaims" SET "ExpiresAt" = {expiresAt}, "IsLabelled" = {labelled}
                WHERE "CandidateId" = {candidateId} AND "UserId" = {userId}
                """, ct);
            if (updated == 1) return;
            var inserted = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "LabelingClaims" ("CandidateId", "Place", "UserId", "ProjectId", "ExpiresAt", "IsLabelled")
                SELECT {candidateId}, min(s), {userId}, {projectId}, {expiresAt}, {labelled}
                FROM generate_series(0, (SELECT count(*) FROM "LabelingClaims" WHERE "CandidateId" = {candidateId})::int) s
                WHERE NOT EXISTS (SELECT 1 FROM "LabelingClaims" l
                                  WHERE l."CandidateId" = {candidateId} AND l."Place" = s AND (l."IsLabelled" OR l."ExpiresAt" > {now}))
                ON CONFLICT ("CandidateId", "Place") DO UPDATE
                    SET "UserId" = excluded."UserId", "ExpiresAt" = excluded."ExpiresAt", "IsLabelled" = excluded."IsLabelled"
                    WHERE NOT "LabelingClaims"."IsLabelled" AND "LabelingClaims"."ExpiresAt" <= {now}
                """, ct);
            if (inserted == 1) return;
            // A concurrent claim took that place between our read and our write; the next round sees it.
            if (attempt == 10) throw new InvalidOperationException($"Could not find a place on candidate {candidateId} for {userId}.");
        }
    }

    internal static string UserIdOf(AuditActor user) =>
        user.UserId ?? throw new ArgumentException("Labelling needs a signed-in user.", nameof(user));
}
