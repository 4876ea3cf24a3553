using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain.Auditing;

namespace WebApp.Domain.Sequences.Novelty;

/// <summary>
/// Which model set of a dataset scores sequences when the caller names none: the one chosen for predictions
/// (<see cref="SequenceDataset.ActiveNoveltyModelSetId"/>) or, until one is chosen, the newest set whose global model
/// is trained.
/// </summary>
public static class NoveltyPredictionSet
{
    public const string AuditAction = "novelty.model-set-activated";

    /// <summary>The set used for predictions; null when the dataset does not exist or has no usable set.</summary>
    public static async Task<int?> ForDatasetAsync(AppDbContext db, int datasetId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var active = await db.SequenceDatasets.AsNoTracking().Where(d => d.Id == datasetId)
            .Select(d => d.ActiveNoveltyModelSetId).FirstOrDefaultAsync(ct);
        if (active is not null) return active;
        return await db.NoveltyModelSets.AsNoTracking()
            .Where(s => s.DatasetId == datasetId
                && db.NoveltyModels.Any(m => m.ModelSetId == s.Id && m.ClusterId == null && m.Status == NoveltyModelStatus.Ready))
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s => (int?)s.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Makes <paramref name="setId"/> the dataset's set for predictions, with its audit record, in one transaction.
    /// Returns why it was refused, or null. A set whose global model is not trained cannot score, so it is refused.
    /// </summary>
    public static async Task<string?> ActivateAsync(AppDbContext db, AuditTrail audit, AuditActor actor, int setId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(audit);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var set = await db.NoveltyModelSets.AsNoTracking().Where(s => s.Id == setId)
            .Select(s => new { s.Id, s.DatasetId, s.Name }).FirstOrDefaultAsync(ct);
        if (set is null) return "That model set no longer exists.";
        var ready = await db.NoveltyModels.AnyAsync(m => m.ModelSetId == setId && m.ClusterId == null && m.Status == NoveltyModelStatus.Ready, ct);
        if (!ready) return "The set's global model is not trained yet, so it cannot score.";
        var dataset = await db.SequenceDatasets.SingleAsync(d => d.Id == set.DatasetId, ct);
        if (dataset.ActiveNoveltyModelSetId == set.Id) return null;
        var before = dataset.ActiveNoveltyModelSetId;
        dataset.ActiveNoveltyModelSetId = set.Id;
        await audit.RecordAsync(db, actor, AuditAction, nameof(SequenceDataset), dataset.Id.ToString(CultureInfo.InvariantCulture),
            new { ActiveNoveltyModelSetId = before }, new { ActiveNoveltyModelSetId = set.Id, set.Name }, ct);
        await transaction.CommitAsync(ct);
        return null;
    }
}
