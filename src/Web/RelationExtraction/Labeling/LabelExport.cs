using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Identity;
using WebApp.Domain.RelationExtraction;
using WebApp.Web.Components;

namespace WebApp.Web.RelationExtraction.Labeling;

/// <summary>An expert's current answer on a candidate (or an adjudication), with what the export needs around it.</summary>
public sealed record ExportedLabel(string Relation, string Kind, string Annotator, bool IsUnsure, string? Comment, int DurationMs, DateTime CreatedAt);

public sealed record ExportedCandidate(
    long CandidateId, string? ExternalId, IReadOnlyList<string> Tokens,
    string HeadName, string HeadKbId, int HeadStart, int HeadEnd,
    string TailName, string TailKbId, int TailStart, int TailEnd,
    IReadOnlyList<string> DistantRelations, string? EffectiveRelation, IReadOnlyList<ExportedLabel> Labels);

/// <summary>
/// Expert labels as OpenNRE JSONL (one candidate a line, relation = the effective expert label) and as CSV (one
/// current expert label a row), both with the distant labels, annotators and times.
/// </summary>
public static class LabelExport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapLabelExport(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/relations/{projectId:int}").RequireAuthorization(new AuthorizeAttribute { Roles = Roles.ExpertOrAdmin });
        group.MapGet("/labels.jsonl", async (int projectId, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct) =>
        {
            var rows = await CandidatesAsync(dbFactory, projectId, ct);
            return rows is null ? Results.NotFound()
                : Results.File(Encoding.UTF8.GetBytes(ToJsonLines(rows)), "application/x-ndjson", $"project-{projectId}-labels.jsonl");
        });
        group.MapGet("/labels.csv", async (int projectId, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct) =>
        {
            var rows = await CandidatesAsync(dbFactory, projectId, ct);
            return rows is null ? Results.NotFound()
                : Results.File(Encoding.UTF8.GetBytes(ToCsv(rows)), "text/csv", $"project-{projectId}-labels.csv");
        });
    }

    /// <summary>Every candidate with a current expert label or adjudication; null when the project does not exist.</summary>
    public static async Task<IReadOnlyList<ExportedCandidate>?> CandidatesAsync(IDbContextFactory<AppDbContext> dbFactory, int projectId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.RelationProjects.AnyAsync(p => p.Id == projectId, ct)) return null;
        var keys = await db.RelationTypes.AsNoTracking().Where(r => r.ProjectId == projectId).ToDictionaryAsync(r => r.Id, r => r.Key, ct);
        var records = await db.ExpertLabels.AsNoTracking().Where(l => l.ProjectId == projectId).OrderBy(l => l.Id).ToListAsync(ct);
        var current = records.GroupBy(r => r.CandidateId).ToDictionary(g => g.Key, g =>
        {
            var labels = g.Where(r => r.Kind != ExpertLabelKind.Adjudication).GroupBy(r => r.UserId).Select(u => u.Last())
                .Where(r => r.Kind == ExpertLabelKind.Label).ToList();
            if (g.LastOrDefault(r => r.Kind == ExpertLabelKind.Adjudication) is { } adjudication) labels.Add(adjudication);
            return labels.OrderBy(r => r.Id).ToList();
        }).Where(c => c.Value.Count > 0).ToDictionary();
        var effective = await ExpertLabels.EffectiveAsync(db, projectId, ct);
        var ids = current.Keys.ToList();
        var candidates = await (
            from c in db.Candidates.AsNoTracking()
            where c.ProjectId == projectId && ids.Contains(c.Id)
            join s in db.Sentences on c.SentenceId equals s.Id
            join h in db.EntityMentions on c.HeadMentionId equals h.Id
            join t in db.EntityMentions on c.TailMentionId equals t.Id
            join he in db.KbEntities on h.EntityId equals he.Id
            join te in db.KbEntities on t.EntityId equals te.Id
            orderby c.Id
            select new { c.Id, c.ExternalId, c.BagId, s.Tokens, h.Start, h.End, TStart = t.Start, TEnd = t.End, HeadName = he.Name, HeadKbId = he.KbId, TailName = te.Name, TailKbId = te.KbId })
            .ToListAsync(ct);
        var bagIds = candidates.Select(c => c.BagId).Distinct().ToList();
        var distant = (await db.DistantLabels.AsNoTracking().Where(l => bagIds.Contains(l.BagId)).ToListAsync(ct))
            .ToLookup(l => l.BagId, l => keys.GetValueOrDefault(l.RelationTypeId, "?"));
        return candidates.Select(c => new ExportedCandidate(
            c.Id, c.ExternalId, c.Tokens, c.HeadName, c.HeadKbId, c.Start, c.End, c.TailName, c.TailKbId, c.TStart, c.TEnd,
            [.. distant[c.BagId].Order(StringComparer.Ordinal)],
            effective.TryGetValue(c.Id, out var e) ? keys.GetValueOrDefault(e.RelationTypeId) : null,
            [.. current[c.Id].Select(l => new ExportedLabel(keys.GetValueOrDefault(l.RelationTypeId ?? 0, "?"), l.Kind.ToString(), l.UserName,
                l.IsUnsure, l.Comment, l.DurationMs, DateTime.SpecifyKind(l.CreatedAt, DateTimeKind.Utc)))])).ToList();
    }

    /// <summary>OpenNRE's sentence format plus the distant and expert labels.</summary>
    public static string ToJsonLines(IEnumerable<ExportedCandidate> candidates)
    {
        var text = new StringBuilder();
        foreach (var c in candidates)
        {
            text.Append(JsonSerializer.Serialize(new
            {
                token = c.Tokens,
                h = new { name = c.HeadName, id = c.HeadKbId, pos = new[] { c.HeadStart, c.HeadEnd } },
                t = new { name = c.TailName, id = c.TailKbId, pos = new[] { c.TailStart, c.TailEnd } },
                relation = c.EffectiveRelation,
                candidate_id = c.CandidateId,
                external_id = c.ExternalId,
                ds_relations = c.DistantRelations,
                expert_labels = c.Labels.Select(l => new
                {
                    relation = l.Relation,
                    kind = l.Kind,
                    annotator = l.Annotator,
                    unsure = l.IsUnsure,
                    comment = l.Comment,
                    duration_ms = l.DurationMs,
                    time = l.CreatedAt,
                }),
            }, Json)).Append('\n');
        }
        return text.ToString();
    }

    public const string CsvHeader =
        "candidate_id,external_id,sentence,head,tail,ds_relations,expert_relation,kind,annotator,unsure,comment,duration_ms,time,effective_relation";

    /// <summary>One row per current expert label (and adjudication), RFC 4180 quoting.</summary>
    public static string ToCsv(IEnumerable<ExportedCandidate> candidates)
    {
        var text = new StringBuilder(CsvHeader).Append(Csv.RowEnd);
        foreach (var c in candidates)
        {
            foreach (var l in c.Labels)
            {
                string[] fields =
                [
                    c.CandidateId.ToString(CultureInfo.InvariantCulture), c.ExternalId ?? "", string.Join(' ', c.Tokens), c.HeadName, c.TailName,
                    string.Join(';', c.DistantRelations), l.Relation, l.Kind, l.Annotator, l.IsUnsure ? "true" : "false", l.Comment ?? "",
                    l.DurationMs.ToString(CultureInfo.InvariantCulture), l.CreatedAt.ToString("O", CultureInfo.InvariantCulture), c.EffectiveRelation ?? "",
                ];
                text.Append(Csv.Row(fields));
            }
        }
        return text.ToString();
    }
}
