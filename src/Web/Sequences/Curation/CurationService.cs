using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;

namespace WebApp.Web.Sequences.Curation;

/// <summary>
/// The curator's decisions on a curated draft. Each one, in one transaction: checks the draft's row version (a stale
/// edit is refused, never applied over someone else's), stores the state before it as an undo step, applies the new
/// categories, reassigns every training sequence by <see cref="CategoryAssignment"/> (hand-moved ones keep their
/// place), and writes its audit record.
/// </summary>
public sealed partial class CurationService(
    IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, CurationCache cache, CurationQueries queries, TimeProvider clock)
{
    public const string StaleMessage =
        "Someone changed this draft after you loaded it (another curator or another tab). Your change was not applied; reload to see the draft as it is now.";
    private const string EntityType = "Clustering";
    // Any constant: serialises version numbering per dataset.
    private const long VersionLockKey = 0x5345515F56455253; // "SEQ_VERS"

    public Task<CurationResult> CreateCategoryAsync(int draftId, uint rowVersion, string name, string description,
        IReadOnlyCollection<int> topicIds, AuditActor actor, CancellationToken ct = default) =>
        EditAsync(draftId, rowVersion, actor, "sequences.category.create", (draft, ensemble) =>
        {
            CheckTopics(ensemble, topicIds);
            var next = draft.AddCategory(name, description, topicIds);
            var created = next.Categories[^1];
            return (next, $"create '{created.Name}'", null, new { created.Name, created.Description, created.TopicIds });
        }, ct);

    public Task<CurationResult> RenameCategoryAsync(int draftId, uint rowVersion, int clusterId, string name, AuditActor actor,
        CancellationToken ct = default) =>
        EditAsync(draftId, rowVersion, actor, "sequences.category.rename", (draft, _) =>
        {
            var position = draft.PositionOf(clusterId);
            var next = draft.Rename(position, name);
            return (next, $"rename '{draft.Categories[position].Name}' to '{next.Categories[position].Name}'",
                new { clusterId, draft.Categories[position].Name }, new { clusterId, next.Categories[position].Name });
        }, ct);

    public Task<CurationResult> DescribeCategoryAsync(int draftId, uint rowVersion, int clusterId, string description, AuditActor actor,
        CancellationToken ct = default) =>
        EditAsync(draftId, rowVersion, actor, "sequences.category.describe", (draft, _) =>
        {
            var position = draft.PositionOf(clusterId);
            var next = draft.Describe(position, description);
            return (next, $"describe '{draft.Categories[position].Name}'",
                new { clusterId, draft.Categories[position].Description }, new { clusterId, next.Categories[position].Description });
        }, ct);

    public Task<CurationResult> DeleteCategoryAsync(int draftId, uint rowVersion, int clusterId, AuditActor actor, CancellationToken ct = default) =>
        EditAsync(draftId, rowVersion, actor, "sequences.category.delete", (draft, _) =>
        {
            var position = draft.PositionOf(clusterId);
            var deleted = draft.Categories[position];
            return (draft.Delete(position), $"delete '{deleted.Name}'", new { clusterId, deleted.Name, deleted.Description, deleted.TopicIds }, null);
        }, ct);

    public Task<CurationResult> AddTopicAsync(int draftId, uint rowVersion, int clusterId, int topicId, AuditActor actor, CancellationToken ct = default) =>
        EditAsync(draftId, rowVersion, actor, "sequences.category.add-topic", (draft, ensemble) =>
        {
            CheckTopics(ensemble, [topicId]);
            var position = draft.PositionOf(clusterId);
            var next = draft.AddTopic(position, topicId);
            return (next, $"add {TopicLabel(ensemble, topicId)} to '{draft.Categories[position].Name}'",
                new { clusterId, draft.Categories[position].TopicIds }, new { clusterId, next.Categories[position].TopicIds });
        }, ct);

    public Task<CurationResult> RemoveTopicAsync(int draftId, uint rowVersion, int clusterId, int topicId, AuditActor actor, CancellationToken ct = default) =>
        EditAsync(draftId, rowVersion, actor, "sequences.category.remove-topic", (draft, ensemble) =>
        {
            var position = draft.PositionOf(clusterId);
            var next = draft.RemoveTopic(position, topicId);
            return (next, $"remove {TopicLabel(ensemble, topicId)} from '{draft.Categories[position].Name}'",
                new { clusterId, draft.Categories[position].TopicIds }, new { clusterId, next.Categories[position].TopicIds });
        }, ct);

    public Task<CurationResult> SetThresholdAsync(int draftId, uint rowVersion, double threshold, AuditActor actor, CancellationToken ct = default) =>
        EditAsync(draftId, rowVersion, actor, "sequences.draft.threshold", (draft, _) =>
        {
            var next = draft.WithThreshold(threshold);
            return (next, $"threshold {draft.OthersThreshold.ToString("0.##", CultureInfo.InvariantCulture)} → {next.OthersThreshold.ToString("0.##", CultureInfo.InvariantCulture)}",
                new { draft.OthersThreshold }, new { next.OthersThreshold });
        }, ct);

    public Task<CurationResult> MoveSequenceAsync(int draftId, uint rowVersion, long sequenceId, int clusterId, AuditActor actor, CancellationToken ct = default) =>
        EditAsync(draftId, rowVersion, actor, "sequences.sequence.move", (draft, ensemble) =>
        {
            if (!ensemble.Train.PositionOf.ContainsKey(sequenceId)) throw new CurationRuleException("Only training sequences of this dataset can be moved.");
            var position = draft.PositionOf(clusterId);
            var before = draft.Manual.FirstOrDefault(m => m.SequenceId == sequenceId);
            return (draft.Move(sequenceId, position), $"move sequence {sequenceId} to '{draft.Categories[position].Name}'",
                new { sequenceId, manualCategory = before is null ? null : draft.Categories[before.Category].Name },
                new { sequenceId, clusterId, category = draft.Categories[position].Name });
        }, ct);

    /// <summary>
    /// Moves a sequence and every identical one in the same category (what a strip marked ×n stands for) in one step;
    /// <see cref="CurationResult"/>'s count says how many moved.
    /// </summary>
    public async Task<CurationResult> MoveIdenticalSequencesAsync(int draftId, uint rowVersion, long sequenceId, int clusterId, AuditActor actor,
        CancellationToken ct = default)
    {
        var moved = 0;
        var result = await EditAsync(draftId, rowVersion, actor, "sequences.sequence.move", (draft, ensemble, current) =>
        {
            var train = ensemble.Train;
            if (!train.PositionOf.TryGetValue(sequenceId, out var at)) throw new CurationRuleException("Only training sequences of this dataset can be moved.");
            var position = draft.PositionOf(clusterId);
            var from = current.ClusterIds[at];
            var events = train.Events[at];
            var ids = Enumerable.Range(0, train.Count)
                .Where(s => current.ClusterIds[s] == from && train.Events[s].AsSpan().SequenceEqual(events))
                .Select(s => train.Ids[s]).ToList();
            moved = ids.Count;
            var target = draft.Categories[position].Name;
            return (draft.MoveAll(ids, position),
                ids.Count == 1 ? $"move sequence {train.SourceIds[at]} to '{target}'" : $"move {ids.Count} identical sequences (like {train.SourceIds[at]}) to '{target}'",
                new { sequenceId, identical = ids.Count, fromClusterId = from },
                new { sequenceId, identical = ids.Count, sequenceIds = ids, clusterId, category = target });
        }, ct);
        return result.Succeeded ? result with { Moved = moved } : result;
    }

    /// <summary>Restores the draft as it was before its latest step, and drops that step.</summary>
    public async Task<CurationResult> UndoAsync(int draftId, uint rowVersion, AuditActor actor, CancellationToken ct = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var (clustering, error) = await LoadDraftAsync(db, draftId, rowVersion, ct);
            if (clustering is null) return CurationResult.Failed(error!);
            var step = await db.CurationSteps.Where(s => s.ClusteringId == draftId).OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);
            if (step is null) return CurationResult.Failed("Nothing to undo.");
            var (train, ensemble) = await DataAsync(clustering, ct);
            var clusters = await db.Clusters.Where(c => c.ClusteringId == draftId).OrderBy(c => c.Index).ToListAsync(ct);
            var current = await cache.AssignmentsAsync(train, draftId, rowVersion);
            var restored = CurationDraft.FromJson(step.Before);
            db.CurationSteps.Remove(step);
            var written = await ApplyAsync(db, clustering, rowVersion, clusters, current, restored, ensemble, ct);
            if (step.SavedClusteringId is { } savedId)
            {
                // Undoing a save discards the version, unless a draft already continues from it.
                if (await db.Clusterings.AnyAsync(c => c.BasedOnId == savedId, ct))
                    return CurationResult.Failed("A draft already continues from that version, so it stays; the undo was not applied.");
                await db.SequenceAssignments.Where(a => a.ClusteringId == savedId).ExecuteDeleteAsync(ct);
                await db.Clusters.Where(c => c.ClusteringId == savedId).ExecuteDeleteAsync(ct);
                await db.Clusterings.Where(c => c.Id == savedId).ExecuteDeleteAsync(ct);
                await audit.RecordAsync(db, actor, "sequences.version.discard", EntityType, savedId.ToString(CultureInfo.InvariantCulture),
                    new { step.Summary, draftId }, null, ct);
            }
            await audit.RecordAsync(db, actor, "sequences.draft.undo", EntityType, draftId.ToString(CultureInfo.InvariantCulture),
                new { undone = step.Action, step.Summary }, new { restored = restored.Categories.Select(c => c.Name), restored.OthersThreshold }, ct);
            await transaction.CommitAsync(ct);
            cache.Remember(train, draftId, clustering.RowVersion, written);
            return new CurationResult(true, null, clustering.RowVersion, draftId);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CurationResult.Failed(StaleMessage);
        }
    }

    /// <summary>A new draft over an ensemble's topics: with only Others, or with the categories and moves of a saved version.</summary>
    public async Task<CurationResult> StartDraftAsync(int datasetId, Guid? ensembleRunId, int? basedOnId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var state = CurationDraft.Empty();
        string name;
        if (basedOnId is { } sourceId)
        {
            var source = await db.Clusterings.AsNoTracking().FirstOrDefaultAsync(c => c.Id == sourceId && c.DatasetId == datasetId, ct);
            if (source is not { Kind: ClusteringKinds.Curated, EnsembleRunId: not null })
                return CurationResult.Failed("A draft continues from a curated clustering of this dataset.");
            ensembleRunId = source.EnsembleRunId;
            var train = await cache.TrainAsync(datasetId, ct);
            var clusters = await db.Clusters.AsNoTracking().Where(c => c.ClusteringId == sourceId).OrderBy(c => c.Index).ToListAsync(ct);
            var sourceState = StateOf(source.OthersThreshold, clusters, await cache.AssignmentsAsync(train, sourceId, source.RowVersion), train);
            // The same categories as new rows of the draft.
            state = sourceState with { Categories = sourceState.Categories.Select(c => c with { ClusterId = null }).ToArray() };
            name = source.Status == ClusteringStatus.Saved ? $"Draft from v{source.Version}" : $"Draft from draft #{source.Id}";
        }
        else
        {
            if (ensembleRunId is null || !await db.TopicModels.AnyAsync(m => m.DatasetId == datasetId && m.EnsembleRunId == ensembleRunId, ct))
                return CurationResult.Failed("Choose a topic ensemble of this dataset (run the LDA ensemble first).");
            name = "Draft";
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var clustering = new Clustering
        {
            DatasetId = datasetId,
            Kind = ClusteringKinds.Curated,
            Status = ClusteringStatus.Draft,
            Name = name,
            BasedOnId = basedOnId,
            EnsembleRunId = ensembleRunId,
            OthersThreshold = state.OthersThreshold,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedByName = actor.Name,
        };
        db.Clusterings.Add(clustering);
        await db.SaveChangesAsync(ct);
        var (_, ensemble) = await DataAsync(clustering, ct);
        var written = await ApplyAsync(db, clustering, null, [], new AssignmentArrays(new int[ensemble.Train.Count], new float?[ensemble.Train.Count],
            new bool[ensemble.Train.Count]), state, ensemble, ct);
        await audit.RecordAsync(db, actor, "sequences.draft.create", EntityType, clustering.Id.ToString(CultureInfo.InvariantCulture), null,
            new { clustering.Name, clustering.EnsembleRunId, basedOnId, categories = state.Categories.Select(c => c.Name) }, ct);
        await transaction.CommitAsync(ct);
        cache.Remember(ensemble.Train, clustering.Id, clustering.RowVersion, written);
        return new CurationResult(true, null, clustering.RowVersion, clustering.Id);
    }

    /// <summary>Freezes the draft as the dataset's next saved version (categories and assignments copied); the draft stays editable.</summary>
    public async Task<CurationResult> SaveVersionAsync(int draftId, uint rowVersion, AuditActor actor, CancellationToken ct = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var (draft, error) = await LoadDraftAsync(db, draftId, rowVersion, ct);
            if (draft is null) return CurationResult.Failed(error!);
            // Touching the draft takes its row lock: no edit slips in between the check and the copy.
            db.Entry(draft).Property(c => c.RowVersion).OriginalValue = rowVersion;
            db.Entry(draft).Property(c => c.OthersThreshold).IsModified = true;
            await db.SaveChangesAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({VersionLockKey + draft.DatasetId})", ct);
            var version = 1 + (await db.Clusterings.Where(c => c.DatasetId == draft.DatasetId && c.Kind == ClusteringKinds.Curated
                && c.Status == ClusteringStatus.Saved).MaxAsync(c => (int?)c.Version, ct) ?? 0);
            var quality = await queries.QualityAsync(draftId, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var saved = new Clustering
            {
                DatasetId = draft.DatasetId,
                Kind = ClusteringKinds.Curated,
                Status = ClusteringStatus.Saved,
                Version = version,
                Name = $"Curated v{version}",
                BasedOnId = draft.Id,
                EnsembleRunId = draft.EnsembleRunId,
                OthersThreshold = draft.OthersThreshold,
                Parameters = draft.Parameters,
                Silhouette = quality?.Overall,
                CreatedAt = now,
                SavedAt = now,
                CreatedByName = actor.Name,
            };
            db.Clusterings.Add(saved);
            await db.SaveChangesAsync(ct);
            var clusters = await db.Clusters.AsNoTracking().Where(c => c.ClusteringId == draftId).OrderBy(c => c.Index).ToListAsync(ct);
            var copies = clusters.Select(c => new Cluster
            {
                ClusteringId = saved.Id,
                Index = c.Index,
                Name = c.Name,
                Description = c.Description,
                IsOthers = c.IsOthers,
                TopicIds = c.TopicIds,
            }).ToList();
            db.Clusters.AddRange(copies);
            await db.SaveChangesAsync(ct);
            var from = clusters.Select(c => c.Id).ToArray();
            var to = copies.Select(c => c.Id).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "SequenceAssignments" ("ClusteringId", "SequenceId", "ClusterId", "Score", "IsManual")
                SELECT {saved.Id}, a."SequenceId", map.copy, a."Score", a."IsManual"
                FROM "SequenceAssignments" a JOIN unnest({from}, {to}) AS map(original, copy) ON a."ClusterId" = map.original
                WHERE a."ClusteringId" = {draftId}
                """, ct);
            var train = await cache.TrainAsync(draft.DatasetId, ct);
            db.CurationSteps.Add(new CurationStep
            {
                ClusteringId = draftId,
                Action = "sequences.version.save",
                Summary = $"save version {version}",
                Before = StateOf(draft.OthersThreshold, clusters, await cache.AssignmentsAsync(train, draftId, rowVersion), train).ToJson(),
                SavedClusteringId = saved.Id,
                CreatedAt = now,
                CreatedByName = actor.Name,
            });
            await audit.RecordAsync(db, actor, "sequences.version.save", EntityType, saved.Id.ToString(CultureInfo.InvariantCulture),
                null, new { version, draftId, categories = clusters.Select(c => new { c.Name, c.TopicIds }), draft.OthersThreshold, silhouette = quality?.Overall }, ct);
            await transaction.CommitAsync(ct);
            cache.Remember(train, draftId, draft.RowVersion, await cache.AssignmentsAsync(train, draftId, rowVersion));
            return new CurationResult(true, null, draft.RowVersion, saved.Id);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CurationResult.Failed(StaleMessage);
        }
    }

    /// <summary>The curator's names and colours for events (the key stays as imported).</summary>
    public async Task<CurationResult> EditEventTypeAsync(int eventTypeId, string displayName, string color, AuditActor actor, CancellationToken ct = default)
    {
        displayName = displayName.Trim();
        color = color.Trim().ToLowerInvariant();
        if (displayName.Length is 0 or > 200) return CurationResult.Failed("A display name has 1 to 200 characters.");
        if (!ColorPattern().IsMatch(color)) return CurationResult.Failed("A colour is written #rrggbb.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var eventType = await db.SequenceEventTypes.FirstOrDefaultAsync(e => e.Id == eventTypeId, ct);
        if (eventType is null) return CurationResult.Failed("No such event.");
        var before = new { eventType.Key, eventType.DisplayName, eventType.Color };
        eventType.DisplayName = displayName;
        eventType.Color = color;
        await audit.RecordAsync(db, actor, "sequences.vocabulary.edit", "SequenceEventType", eventTypeId.ToString(CultureInfo.InvariantCulture),
            before, new { eventType.Key, eventType.DisplayName, eventType.Color }, ct);
        await transaction.CommitAsync(ct);
        return new CurationResult(true, null, 0);
    }

    [GeneratedRegex("^#[0-9a-f]{6}$")]
    private static partial Regex ColorPattern();

    private Task<CurationResult> EditAsync(int draftId, uint rowVersion, AuditActor actor, string action,
        Func<CurationDraft, EnsembleData, (CurationDraft Next, string Summary, object? Before, object? After)> decide, CancellationToken ct) =>
        EditAsync(draftId, rowVersion, actor, action, (draft, ensemble, _) => decide(draft, ensemble), ct);

    private async Task<CurationResult> EditAsync(int draftId, uint rowVersion, AuditActor actor, string action,
        Func<CurationDraft, EnsembleData, AssignmentArrays, (CurationDraft Next, string Summary, object? Before, object? After)> decide, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var (clustering, error) = await LoadDraftAsync(db, draftId, rowVersion, ct);
            if (clustering is null) return CurationResult.Failed(error!);
            var (train, ensemble) = await DataAsync(clustering, ct);
            var clusters = await db.Clusters.Where(c => c.ClusteringId == draftId).OrderBy(c => c.Index).ToListAsync(ct);
            var current = await cache.AssignmentsAsync(train, draftId, rowVersion);
            var state = StateOf(clustering.OthersThreshold, clusters, current, train);
            var (next, summary, before, after) = decide(state, ensemble, current);
            db.CurationSteps.Add(new CurationStep
            {
                ClusteringId = draftId,
                Action = action,
                Summary = summary.Length > 400 ? summary[..400] : summary,
                Before = state.ToJson(),
                CreatedAt = clock.GetUtcNow().UtcDateTime,
                CreatedByName = actor.Name,
            });
            var written = await ApplyAsync(db, clustering, rowVersion, clusters, current, next, ensemble, ct);
            await audit.RecordAsync(db, actor, action, EntityType, draftId.ToString(CultureInfo.InvariantCulture), before, after, ct);
            await transaction.CommitAsync(ct);
            cache.Remember(train, draftId, clustering.RowVersion, written);
            return new CurationResult(true, null, clustering.RowVersion, draftId);
        }
        catch (CurationRuleException e)
        {
            return CurationResult.Failed(e.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CurationResult.Failed(StaleMessage);
        }
    }

    private static async Task<(Clustering? Draft, string? Error)> LoadDraftAsync(AppDbContext db, int draftId, uint rowVersion, CancellationToken ct)
    {
        var clustering = await db.Clusterings.FirstOrDefaultAsync(c => c.Id == draftId, ct);
        if (clustering is null) return (null, "There is no such clustering.");
        if (clustering.Kind != ClusteringKinds.Curated || clustering.Status != ClusteringStatus.Draft)
            return (null, "Saved versions and automatic clusterings cannot be changed; start a draft from them instead.");
        if (clustering.EnsembleRunId is null) return (null, "This draft has no topic ensemble.");
        return clustering.RowVersion == rowVersion ? (clustering, null) : (null, StaleMessage);
    }

    private async Task<(TrainSequences Train, EnsembleData Ensemble)> DataAsync(Clustering clustering, CancellationToken ct)
    {
        var train = await cache.TrainAsync(clustering.DatasetId, ct);
        return (train, await cache.EnsembleAsync(train, clustering.EnsembleRunId!.Value));
    }

    private static void CheckTopics(EnsembleData ensemble, IEnumerable<int> topicIds)
    {
        if (topicIds.Any(t => !ensemble.TopicPosition.ContainsKey(t)))
            throw new CurationRuleException("A category takes topics of the draft's own ensemble only.");
    }

    private static string TopicLabel(EnsembleData ensemble, int topicId) =>
        ensemble.TopicPosition.TryGetValue(topicId, out var p) ? $"topic {ensemble.Topics[p].Label}" : $"topic {topicId}";

    /// <summary>The draft as stored: categories in index order (Others first) and the hand-moved sequences.</summary>
    private static CurationDraft StateOf(double threshold, IReadOnlyList<Cluster> clusters, AssignmentArrays assignments, TrainSequences train)
    {
        var ordered = clusters.OrderByDescending(c => c.IsOthers).ThenBy(c => c.Index).ToList();
        var position = ordered.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var manual = new List<ManualPlacement>();
        for (var s = 0; s < assignments.IsManual.Length; s++)
        {
            if (assignments.IsManual[s] && position.TryGetValue(assignments.ClusterIds[s], out var p)) manual.Add(new ManualPlacement(train.Ids[s], p));
        }
        var categories = ordered.Select(c => new DraftCategory(c.Id, c.Name, c.Description, c.IsOthers, c.TopicIds)).ToList();
        if (!categories.Any(c => c.IsOthers)) categories.Insert(0, CurationDraft.Empty().Categories[0]);
        return new CurationDraft(threshold, categories, manual);
    }

    /// <summary>
    /// Writes <paramref name="next"/>: the row-version check first (it also locks the draft's row until commit), then the
    /// categories, then the assignments that change, then the categories that went (their sequences have moved by then).
    /// </summary>
    private static async Task<AssignmentArrays> ApplyAsync(AppDbContext db, Clustering clustering, uint? rowVersion, List<Cluster> clusters,
        AssignmentArrays current, CurationDraft next, EnsembleData ensemble, CancellationToken ct)
    {
        clustering.OthersThreshold = next.OthersThreshold;
        if (rowVersion is { } expected)
        {
            db.Entry(clustering).Property(c => c.RowVersion).OriginalValue = expected;
            db.Entry(clustering).Property(c => c.OthersThreshold).IsModified = true;
        }
        var rows = new Cluster[next.Categories.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var wanted = next.Categories[i];
            var row = clusters.FirstOrDefault(c => c.Id == wanted.ClusterId);
            if (row is null)
            {
                row = new Cluster { ClusteringId = clustering.Id };
                db.Clusters.Add(row);
            }
            (row.Index, row.Name, row.Description, row.IsOthers, row.TopicIds) =
                (i, wanted.Name, wanted.Description, wanted.IsOthers, wanted.TopicIds.ToArray());
            rows[i] = row;
        }
        await db.SaveChangesAsync(ct);

        var train = ensemble.Train;
        var (category, score) = next.Assign(train.Ids, Enumerable.Range(0, train.Count).Select(ensemble.ProbabilityOf).ToArray());
        var manual = next.Manual.Select(m => m.SequenceId).ToHashSet();
        List<long> ids = [];
        List<int> clusterIds = [];
        List<float?> scores = [];
        List<bool> manualFlags = [];
        var written = new AssignmentArrays(new int[train.Count], score, new bool[train.Count]);
        for (var s = 0; s < train.Count; s++)
        {
            var clusterId = written.ClusterIds[s] = rows[category[s]].Id;
            var isManual = written.IsManual[s] = manual.Contains(train.Ids[s]);
            if (current.ClusterIds[s] == clusterId && current.Scores[s] == score[s] && current.IsManual[s] == isManual) continue;
            ids.Add(train.Ids[s]);
            clusterIds.Add(clusterId);
            scores.Add(score[s]);
            manualFlags.Add(isManual);
        }
        if (ids.Count > 0)
        {
            var scoreParameter = new NpgsqlParameter("scores", NpgsqlDbType.Array | NpgsqlDbType.Real)
            {
                Value = scores.Select(s => s is { } v ? (object)v : DBNull.Value).ToArray(),
            };
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "SequenceAssignments" ("ClusteringId", "SequenceId", "ClusterId", "Score", "IsManual")
                SELECT @clustering, u.sequence, u.cluster, u.score, u.manual
                FROM unnest(@ids, @clusters, @scores, @manual) AS u(sequence, cluster, score, manual)
                ON CONFLICT ("ClusteringId", "SequenceId") DO UPDATE
                SET "ClusterId" = excluded."ClusterId", "Score" = excluded."Score", "IsManual" = excluded."IsManual"
                """,
                [
                    new NpgsqlParameter("clustering", clustering.Id), new NpgsqlParameter("ids", ids.ToArray()),
                    new NpgsqlParameter("clusters", clusterIds.ToArray()), scoreParameter, new NpgsqlParameter("manual", manualFlags.ToArray()),
                ], ct);
        }
        var gone = clusters.Where(c => !rows.Contains(c)).ToList();
        if (gone.Count > 0)
        {
            db.Clusters.RemoveRange(gone);
            await db.SaveChangesAsync(ct);
        }
        return written;
    }
}
