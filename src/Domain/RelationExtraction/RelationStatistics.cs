using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.RelationExtraction;

/// <summary>Counts for one relation type of a project.</summary>
/// <param name="Facts">Knowledge-base facts with this relation.</param>
/// <param name="Bags">Bags whose distant-supervision labels include this relation.</param>
/// <param name="Candidates">Candidates in those bags.</param>
/// <param name="GoldCandidates">Candidates whose gold label is this relation.</param>
public sealed record RelationTypeStatistics(
    int RelationTypeId, string Key, string Name, bool IsNa, int Index,
    long Facts, long Bags, long Candidates, long GoldCandidates);

/// <summary>Bags and candidates of one split.</summary>
public sealed record SplitStatistics(DataSplit Split, long Bags, long Candidates, long NaBags);

/// <summary>What a project holds, for the pages: per relation type, per split, and the NA shares.</summary>
public sealed record RelationStatistics(
    int ProjectId,
    long Entities,
    long Facts,
    long Documents,
    long Sentences,
    long Candidates,
    long Bags,
    long GoldCandidates,
    long NaBags,
    long NaCandidates,
    IReadOnlyList<RelationTypeStatistics> Relations,
    IReadOnlyList<SplitStatistics> Splits)
{
    /// <summary>Share of bags labelled NA by distant supervision (0 when there are no bags).</summary>
    public double NaBagShare => Bags == 0 ? 0 : (double)NaBags / Bags;

    /// <summary>Share of candidates in NA bags (0 when there are no candidates).</summary>
    public double NaCandidateShare => Candidates == 0 ? 0 : (double)NaCandidates / Candidates;

    /// <summary>Counts with set-based queries (a handful of aggregates; no rows are loaded).</summary>
    public static async Task<RelationStatistics> ForProjectAsync(AppDbContext db, int projectId, CancellationToken ct)
    {
        var relations = await db.Database.SqlQuery<RelationRow>($"""
            WITH labels AS (
                SELECT l."RelationTypeId" AS relation, count(*) AS bags, coalesce(sum(b."CandidateCount"), 0)::bigint AS candidates
                FROM "DistantLabels" l JOIN "Bags" b ON b."Id" = l."BagId"
                WHERE b."ProjectId" = {projectId}
                GROUP BY l."RelationTypeId"
            ), facts AS (
                SELECT "RelationTypeId" AS relation, count(*) AS n FROM "KbFacts" WHERE "ProjectId" = {projectId} GROUP BY 1
            ), gold AS (
                SELECT g."RelationTypeId" AS relation, count(*) AS n
                FROM "GoldLabels" g JOIN "RelationTypes" t ON t."Id" = g."RelationTypeId"
                WHERE t."ProjectId" = {projectId}
                GROUP BY 1
            )
            SELECT r."Id" AS "RelationTypeId", r."Key", r."Name", r."IsNa", r."Index",
                   coalesce(facts.n, 0) AS "Facts", coalesce(labels.bags, 0) AS "Bags",
                   coalesce(labels.candidates, 0) AS "Candidates", coalesce(gold.n, 0) AS "GoldCandidates"
            FROM "RelationTypes" r
            LEFT JOIN labels ON labels.relation = r."Id"
            LEFT JOIN facts ON facts.relation = r."Id"
            LEFT JOIN gold ON gold.relation = r."Id"
            WHERE r."ProjectId" = {projectId}
            ORDER BY r."Index"
            """).ToListAsync(ct);

        var splits = await db.Database.SqlQuery<SplitRow>($"""
            SELECT b."Split", count(*) AS "Bags", coalesce(sum(b."CandidateCount"), 0)::bigint AS "Candidates",
                   count(na."BagId") AS "NaBags",
                   coalesce(sum(b."CandidateCount") FILTER (WHERE na."BagId" IS NOT NULL), 0)::bigint AS "NaCandidates"
            FROM "Bags" b
            LEFT JOIN "DistantLabels" na ON na."BagId" = b."Id" AND na."RelationTypeId" =
                (SELECT t."Id" FROM "RelationTypes" t WHERE t."ProjectId" = {projectId} AND t."IsNa" LIMIT 1)
            WHERE b."ProjectId" = {projectId}
            GROUP BY b."Split"
            """).ToListAsync(ct);

        var totals = await db.Database.SqlQuery<TotalsRow>($"""
            SELECT (SELECT count(*) FROM "KbEntities" WHERE "ProjectId" = {projectId}) AS "Entities",
                   (SELECT count(*) FROM "KbFacts" WHERE "ProjectId" = {projectId}) AS "Facts",
                   (SELECT count(*) FROM "Documents" WHERE "ProjectId" = {projectId}) AS "Documents",
                   (SELECT count(*) FROM "Sentences" WHERE "ProjectId" = {projectId}) AS "Sentences",
                   (SELECT count(*) FROM "Candidates" WHERE "ProjectId" = {projectId}) AS "Candidates",
                   (SELECT count(*) FROM "GoldLabels" g JOIN "Candidates" c ON c."Id" = g."CandidateId"
                     WHERE c."ProjectId" = {projectId}) AS "GoldCandidates"
            """).SingleAsync(ct);

        var bySplit = splits.ToDictionary(s => Enum.Parse<DataSplit>(s.Split));
        return new RelationStatistics(
            projectId,
            totals.Entities,
            totals.Facts,
            totals.Documents,
            totals.Sentences,
            totals.Candidates,
            splits.Sum(s => s.Bags),
            totals.GoldCandidates,
            splits.Sum(s => s.NaBags),
            splits.Sum(s => s.NaCandidates),
            [.. relations.Select(r => new RelationTypeStatistics(r.RelationTypeId, r.Key, r.Name, r.IsNa, r.Index,
                r.Facts, r.Bags, r.Candidates, r.GoldCandidates))],
            [.. Enum.GetValues<DataSplit>().Select(split => bySplit.TryGetValue(split, out var row)
                ? new SplitStatistics(split, row.Bags, row.Candidates, row.NaBags)
                : new SplitStatistics(split, 0, 0, 0))]);
    }

    private sealed class RelationRow
    {
        public int RelationTypeId { get; set; }
        public string Key { get; set; } = "";
        public string Name { get; set; } = "";
        public bool IsNa { get; set; }
        public int Index { get; set; }
        public long Facts { get; set; }
        public long Bags { get; set; }
        public long Candidates { get; set; }
        public long GoldCandidates { get; set; }
    }

    private sealed class SplitRow
    {
        public string Split { get; set; } = "";
        public long Bags { get; set; }
        public long Candidates { get; set; }
        public long NaBags { get; set; }
        public long NaCandidates { get; set; }
    }

    private sealed class TotalsRow
    {
        public long Entities { get; set; }
        public long Facts { get; set; }
        public long Documents { get; set; }
        public long Sentences { get; set; }
        public long Candidates { get; set; }
        public long GoldCandidates { get; set; }
    }
}
