using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.RelationExtraction;

namespace WebApp.Web.RelationExtraction;

public enum NaFilter
{
    Any,
    OnlyNa,
    NotNa,
}

/// <summary>Gold filter: any candidate, only those with a gold label, only those without, or one relation (<see cref="CandidateFilter.GoldRelationTypeId"/>).</summary>
public enum GoldFilter
{
    Any,
    Labelled,
    Unlabelled,
    Relation,
}

public sealed record CandidateFilter
{
    public int? DistantRelationTypeId { get; init; }
    public NaFilter Na { get; init; }
    public int? PredictedRelationTypeId { get; init; }
    public double? MinConfidence { get; init; }
    public double? MaxConfidence { get; init; }
    public DataSplit? Split { get; init; }
    public GoldFilter Gold { get; init; }
    public int? GoldRelationTypeId { get; init; }
    public string? EntityText { get; init; }
}

public sealed record CandidatePrediction(int RelationTypeId, float Confidence);

public sealed record CandidateRow(
    long Id, string[] Tokens, int HeadStart, int HeadEnd, string HeadName, int TailStart, int TailEnd, string TailName,
    DataSplit Split, IReadOnlyList<int> DistantLabels, CandidatePrediction? Prediction, int? GoldRelationTypeId);

public sealed record CandidatePage(IReadOnlyList<CandidateRow> Rows, int MatchCount, bool MoreThanCounted);

/// <summary>
/// The candidates browser's query: filters in SQL, ordered by id, one page at a time. The count stops at
/// <see cref="CountCap"/> so a filter over a million candidates never counts them all.
/// </summary>
public sealed class CandidateSearch(IDbContextFactory<AppDbContext> dbFactory)
{
    public const int CountCap = 10_000;
    /// <summary>Text search matches at most this many entities (by name).</summary>
    public const int MaxMatchedEntities = 5_000;

    public async Task<CandidatePage> PageAsync(int projectId, int? activeModelVersionId, CandidateFilter filter, int skip, int take,
        bool count, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = await FilterAsync(db, projectId, activeModelVersionId, filter, ct);

        int matches = -1;
        var more = false;
        if (count)
        {
            matches = await query.Select(c => c.Id).Take(CountCap + 1).CountAsync(ct);
            more = matches > CountCap;
            matches = Math.Min(matches, CountCap);
        }

        var page = await query.OrderBy(c => c.Id).Skip(skip).Take(take)
            .Select(c => new { c.Id, c.SentenceId, c.HeadMentionId, c.TailMentionId, c.BagId }).ToListAsync(ct);
        if (page.Count == 0) return new CandidatePage([], Math.Max(matches, 0), more);

        var ids = page.Select(c => c.Id).ToList();
        var sentenceIds = page.Select(c => c.SentenceId).Distinct().ToList();
        var mentionIds = page.SelectMany(c => new[] { c.HeadMentionId, c.TailMentionId }).Distinct().ToList();
        var bagIds = page.Select(c => c.BagId).Distinct().ToList();

        var sentences = await db.Sentences.AsNoTracking().Where(s => sentenceIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Tokens }).ToDictionaryAsync(s => s.Id, s => s.Tokens, ct);
        var mentions = await (from m in db.EntityMentions
                              join e in db.KbEntities on m.EntityId equals e.Id
                              where mentionIds.Contains(m.Id)
                              select new { m.Id, m.Start, m.End, e.Name }).ToDictionaryAsync(m => m.Id, ct);
        var splits = await db.Bags.Where(b => bagIds.Contains(b.Id)).Select(b => new { b.Id, b.Split }).ToDictionaryAsync(b => b.Id, b => b.Split, ct);
        var labels = (await db.DistantLabels.Where(l => bagIds.Contains(l.BagId)).ToListAsync(ct)).ToLookup(l => l.BagId, l => l.RelationTypeId);
        var predictions = activeModelVersionId is { } version
            ? await db.Predictions.Where(p => p.ModelVersionId == version && ids.Contains(p.CandidateId))
                .Select(p => new { p.CandidateId, p.TopRelationTypeId, p.Confidence }).ToDictionaryAsync(p => p.CandidateId, ct)
            : [];
        var gold = await db.GoldLabels.Where(g => ids.Contains(g.CandidateId)).ToDictionaryAsync(g => g.CandidateId, g => g.RelationTypeId, ct);

        var rows = page.Select(c =>
        {
            var head = mentions.GetValueOrDefault(c.HeadMentionId);
            var tail = mentions.GetValueOrDefault(c.TailMentionId);
            var prediction = predictions.GetValueOrDefault(c.Id);
            return new CandidateRow(c.Id, sentences.GetValueOrDefault(c.SentenceId) ?? [],
                head?.Start ?? 0, head?.End ?? 0, head?.Name ?? "?", tail?.Start ?? 0, tail?.End ?? 0, tail?.Name ?? "?",
                splits.GetValueOrDefault(c.BagId), labels[c.BagId].ToList(),
                prediction is null ? null : new CandidatePrediction(prediction.TopRelationTypeId, prediction.Confidence),
                gold.TryGetValue(c.Id, out var g) ? g : null);
        }).ToList();
        return new CandidatePage(rows, matches < 0 ? rows.Count : matches, more);
    }

    private static async Task<IQueryable<Candidate>> FilterAsync(AppDbContext db, int projectId, int? activeModelVersionId,
        CandidateFilter filter, CancellationToken ct)
    {
        var query = db.Candidates.AsNoTracking().Where(c => c.ProjectId == projectId);
        if (filter.Split is { } split)
        {
            query = query.Where(c => db.Bags.Any(b => b.Id == c.BagId && b.Split == split));
        }
        if (filter.DistantRelationTypeId is { } relation)
        {
            query = query.Where(c => db.DistantLabels.Any(l => l.BagId == c.BagId && l.RelationTypeId == relation));
        }
        if (filter.Na != NaFilter.Any)
        {
            var naId = await db.RelationTypes.Where(r => r.ProjectId == projectId && r.IsNa).Select(r => (int?)r.Id).SingleOrDefaultAsync(ct) ?? -1;
            query = filter.Na == NaFilter.OnlyNa
                ? query.Where(c => db.DistantLabels.Any(l => l.BagId == c.BagId && l.RelationTypeId == naId))
                : query.Where(c => !db.DistantLabels.Any(l => l.BagId == c.BagId && l.RelationTypeId == naId));
        }
        if (filter.PredictedRelationTypeId is not null || filter.MinConfidence is not null || filter.MaxConfidence is not null)
        {
            var version = activeModelVersionId ?? -1;
            var predictions = db.Predictions.Where(p => p.ModelVersionId == version);
            if (filter.PredictedRelationTypeId is { } predicted) predictions = predictions.Where(p => p.TopRelationTypeId == predicted);
            if (filter.MinConfidence is { } min) predictions = predictions.Where(p => p.Confidence >= min);
            if (filter.MaxConfidence is { } max) predictions = predictions.Where(p => p.Confidence <= max);
            query = query.Where(c => predictions.Any(p => p.CandidateId == c.Id));
        }
        switch (filter.Gold)
        {
            case GoldFilter.Labelled:
                query = query.Where(c => db.GoldLabels.Any(g => g.CandidateId == c.Id));
                break;
            case GoldFilter.Unlabelled:
                query = query.Where(c => !db.GoldLabels.Any(g => g.CandidateId == c.Id));
                break;
            case GoldFilter.Relation when filter.GoldRelationTypeId is { } goldRelation:
                query = query.Where(c => db.GoldLabels.Any(g => g.CandidateId == c.Id && g.RelationTypeId == goldRelation));
                break;
        }
        if (!string.IsNullOrWhiteSpace(filter.EntityText))
        {
            var pattern = "%" + EscapeLike(filter.EntityText.Trim()) + "%";
            var entityIds = db.KbEntities.Where(e => e.ProjectId == projectId && EF.Functions.ILike(e.Name, pattern, "\\"))
                .OrderBy(e => e.Id).Select(e => e.Id).Take(MaxMatchedEntities);
            query = query.Where(c => db.Bags.Any(b => b.Id == c.BagId && (entityIds.Contains(b.HeadEntityId) || entityIds.Contains(b.TailEntityId))));
        }
        return query;
    }

    public static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
