using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;

namespace WebApp.Web.Sequences.Curation;

/// <summary>What the workbench pages show: computed from the cached sequences, mixtures and assignments.</summary>
public sealed class CurationQueries(IDbContextFactory<AppDbContext> dbFactory, CurationCache cache)
{
    public const int RepresentativeCount = 4;
    public const int TopEventCount = 5;

    public async Task<DatasetOverview?> OverviewAsync(int datasetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await db.SequenceDatasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, ct);
        if (dataset is null) return null;
        var parts = await db.EventSequences.Where(s => s.DatasetId == datasetId).GroupBy(s => s.Part)
            .Select(g => new { Part = g.Key, Count = g.Count(), Events = g.Sum(s => (long)s.Length) }).ToListAsync(ct);
        var labelled = await (from label in db.SequenceLabels
                              join sequence in db.EventSequences on label.SequenceId equals sequence.Id
                              where sequence.DatasetId == datasetId
                              select label).CountAsync(ct);
        var filter = JsonSerializer.Serialize(new { datasetId }, JobJson.Options);
        var runs = await db.JobRuns.AsNoTracking()
            .Where(r => (r.Kind == JobKinds.SequenceClustering || r.Kind == JobKinds.SequenceImport)
                        && r.Parameters != null && EF.Functions.JsonContains(r.Parameters, filter))
            .OrderByDescending(r => r.CreatedAt).Take(5).ToListAsync(ct);
        return new DatasetOverview(dataset,
            parts.FirstOrDefault(p => p.Part == SequenceParts.Train)?.Count ?? 0,
            parts.FirstOrDefault(p => p.Part == SequenceParts.Test)?.Count ?? 0,
            parts.Sum(p => p.Events), labelled,
            await VocabularyAsync(db, datasetId, ct), await EnsemblesAsync(db, datasetId, ct),
            await ClusteringsAsync(db, datasetId, ct), runs);
    }

    /// <summary>The dataset's name for the breadcrumbs of its sub-pages; its number when it is gone.</summary>
    public async Task<string> DatasetNameAsync(int datasetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SequenceDatasets.Where(d => d.Id == datasetId).Select(d => d.Name).FirstOrDefaultAsync(ct)
            ?? $"Dataset {datasetId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    public async Task<TopicsView?> TopicsAsync(int datasetId, Guid? ensembleRunId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.SequenceDatasets.AnyAsync(d => d.Id == datasetId, ct)) return null;
        var ensembles = await EnsemblesAsync(db, datasetId, ct);
        var chosen = ensembles.FirstOrDefault(e => e.RunId == ensembleRunId) ?? (ensembles.Count > 0 ? ensembles[0] : null);
        var ensemble = chosen is null ? null : await cache.EnsembleAsync(await cache.TrainAsync(datasetId, ct), chosen.RunId);
        return new TopicsView(ensembles, ensemble, await VocabularyAsync(db, datasetId, ct));
    }

    /// <summary>A topic's heaviest events and the distinct training sequences that load on it most.</summary>
    public static TopicDetail? Topic(EnsembleData ensemble, int topicId, int take = 8)
    {
        if (!ensemble.TopicPosition.TryGetValue(topicId, out var position)) return null;
        var topic = ensemble.Topics[position];
        var topEvents = topic.EventWeights.Select((w, e) => new EventShare(e, w)).OrderByDescending(e => e.Share).Take(TopEventCount).ToList();
        var train = ensemble.Train;
        var ranked = Enumerable.Range(0, train.Count).Where(s => ensemble.Probabilities[s] is not null)
            .OrderByDescending(s => ensemble.Probabilities[s]![position]);
        var sequences = new List<RepresentativeSequence>();
        var seen = new Dictionary<string, int>();
        foreach (var s in ranked)
        {
            var key = string.Join(' ', train.Events[s]);
            if (seen.TryGetValue(key, out var index))
            {
                sequences[index] = sequences[index] with { Multiplicity = sequences[index].Multiplicity + 1 };
                continue;
            }
            if (sequences.Count == take) continue;
            seen[key] = sequences.Count;
            sequences.Add(new RepresentativeSequence(train.Ids[s], train.SourceIds[s], train.Events[s], 1, ensemble.Probabilities[s]![position]));
        }
        return new TopicDetail(topic, topEvents, sequences);
    }

    public async Task<WorkbenchView?> WorkbenchAsync(int datasetId, int clusteringId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clustering = await db.Clusterings.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clusteringId && c.DatasetId == datasetId, ct);
        if (clustering is null) return null;
        var clusters = await db.Clusters.AsNoTracking().Where(c => c.ClusteringId == clusteringId).OrderBy(c => c.Index).ToListAsync(ct);
        var steps = await db.CurationSteps.AsNoTracking().Where(s => s.ClusteringId == clusteringId).OrderByDescending(s => s.Id).Take(10)
            .Select(s => new StepSummary(s.Id, s.Action, s.Summary, s.CreatedAt, s.CreatedByName)).ToListAsync(ct);
        var vocabulary = await VocabularyAsync(db, datasetId, ct);
        var train = await cache.TrainAsync(datasetId, ct);
        var assignments = await cache.AssignmentsAsync(train, clusteringId, clustering.RowVersion);
        var ensemble = clustering.EnsembleRunId is { } runId ? await cache.EnsembleAsync(train, runId) : null;
        var cards = Cards(train, assignments, clusters, vocabulary.Count, ensemble);
        return new WorkbenchView(Summary(clustering, clusters.Count), clustering.OthersThreshold, vocabulary, cards, ensemble, steps, train.Count);
    }

    private static List<ClusterCardData> Cards(
        TrainSequences train, AssignmentArrays assignments, IReadOnlyList<Cluster> clusters, int vocabularySize, EnsembleData? ensemble)
    {
        var members = clusters.ToDictionary(c => c.Id, _ => new List<int>());
        for (var s = 0; s < train.Count; s++)
        {
            if (members.TryGetValue(assignments.ClusterIds[s], out var list)) list.Add(s);
        }
        return clusters.Select(cluster =>
        {
            var positions = members[cluster.Id];
            var counts = new long[vocabularySize];
            long total = 0;
            foreach (var s in positions)
            {
                foreach (var e in train.Events[s])
                {
                    if (e < vocabularySize) counts[e]++;
                }
                total += train.Events[s].Length;
            }
            var topEvents = counts.Select((c, e) => new EventShare(e, total == 0 ? 0 : (double)c / total))
                .Where(e => e.Share > 0).OrderByDescending(e => e.Share).Take(TopEventCount).ToList();
            // The most frequent distinct sequences stand for the cluster.
            var representatives = positions.GroupBy(s => string.Join(' ', train.Events[s]))
                .Select(g => (First: g.First(), Count: g.Count())).OrderByDescending(g => g.Count).ThenBy(g => g.First)
                .Take(RepresentativeCount)
                .Select(g => new RepresentativeSequence(train.Ids[g.First], train.SourceIds[g.First], train.Events[g.First], g.Count)).ToList();
            var topics = ensemble is null ? [] : cluster.TopicIds.Where(ensemble.TopicPosition.ContainsKey)
                .Select(t => ensemble.Topics[ensemble.TopicPosition[t]]).ToList();
            return new ClusterCardData(cluster, positions.Count, positions.Count(s => assignments.IsManual[s]), topEvents, representatives,
                ClusterQuality.EventEntropy(positions.Select(s => train.Events[s])), topics);
        }).ToList();
    }

    /// <summary>Weighted silhouette on event counts: distinct (counts, cluster) points with their multiplicities.</summary>
    public async Task<ClusteringQuality?> QualityAsync(int clusteringId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clustering = await db.Clusterings.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clusteringId, ct);
        if (clustering is null) return null;
        var vocabularySize = await db.SequenceEventTypes.CountAsync(e => e.DatasetId == clustering.DatasetId, ct);
        var train = await cache.TrainAsync(clustering.DatasetId, ct);
        var assignments = await cache.AssignmentsAsync(train, clusteringId, clustering.RowVersion);
        return await cache.QualityAsync(clusteringId, clustering.RowVersion, () => Task.FromResult(Quality(train, assignments, vocabularySize)));
    }

    public static ClusteringQuality Quality(TrainSequences train, AssignmentArrays assignments, int vocabularySize)
    {
        var points = new Dictionary<string, (float[] Counts, int Cluster, int Weight)>();
        for (var s = 0; s < train.Count; s++)
        {
            var cluster = assignments.ClusterIds[s];
            if (cluster == 0) continue;
            var counts = ClusterQuality.EventCounts(train.Events[s].Where(e => e < vocabularySize), vocabularySize);
            var key = string.Join(',', counts) + "|" + cluster;
            points[key] = points.TryGetValue(key, out var point) ? point with { Weight = point.Weight + 1 } : (counts, cluster, 1);
        }
        var list = points.Values.ToList();
        var (overall, perCluster) = ClusterQuality.Silhouette(list.Count,
            (i, j) => ClusterQuality.Euclidean(list[i].Counts, list[j].Counts), list.Select(p => p.Weight).ToList(), list.Select(p => p.Cluster).ToList());
        return new ClusteringQuality(overall, perCluster, list.Count);
    }

    public async Task<SearchResult> SearchAsync(int datasetId, int? clusteringId, string pattern, int take = 30, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var vocabulary = await VocabularyAsync(db, datasetId, ct);
        SequencePattern parsed;
        try
        {
            parsed = SequencePattern.Parse(pattern, token =>
                vocabulary.FirstOrDefault(e => e.Key == token)?.Index
                ?? vocabulary.FirstOrDefault(e => string.Equals(e.DisplayName, token, StringComparison.OrdinalIgnoreCase))?.Index);
        }
        catch (FormatException e)
        {
            return new SearchResult(e.Message, 0, 0, []);
        }
        var train = await cache.TrainAsync(datasetId, ct);
        AssignmentArrays? assignments = null;
        Dictionary<int, string> names = [];
        if (clusteringId is { } id && await db.Clusterings.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.DatasetId == datasetId, ct) is { } clustering)
        {
            assignments = await cache.AssignmentsAsync(train, id, clustering.RowVersion);
            names = await db.Clusters.Where(c => c.ClusteringId == id).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        }
        var hits = new List<SearchHit>();
        var distinct = new HashSet<string>();
        var total = 0;
        for (var s = 0; s < train.Count; s++)
        {
            if (parsed.Match(train.Events[s]) is not { } match) continue;
            total++;
            distinct.Add(string.Join(' ', train.Events[s]));
            if (hits.Count >= take) continue;
            var cluster = assignments?.ClusterIds[s] ?? 0;
            hits.Add(new SearchHit(train.Ids[s], train.SourceIds[s], train.Events[s], match.Start, match.Length, cluster,
                names.GetValueOrDefault(cluster), assignments?.IsManual[s] ?? false));
        }
        return new SearchResult(null, total, distinct.Count, hits);
    }

    public async Task<ClusteringComparison?> CompareAsync(int datasetId, int firstId, int secondId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pair = await db.Clusterings.AsNoTracking().Where(c => c.DatasetId == datasetId && (c.Id == firstId || c.Id == secondId)).ToListAsync(ct);
        if (pair.FirstOrDefault(c => c.Id == firstId) is not { } first || pair.FirstOrDefault(c => c.Id == secondId) is not { } second) return null;
        var clusters = await db.Clusters.AsNoTracking().Where(c => c.ClusteringId == firstId || c.ClusteringId == secondId)
            .OrderBy(c => c.Index).ToListAsync(ct);
        var train = await cache.TrainAsync(datasetId, ct);
        var a = await cache.AssignmentsAsync(train, firstId, first.RowVersion);
        var b = await cache.AssignmentsAsync(train, secondId, second.RowVersion);
        var rows = clusters.Where(c => c.ClusteringId == firstId).ToList();
        var columns = clusters.Where(c => c.ClusteringId == secondId).ToList();
        var rowOf = rows.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var columnOf = columns.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var table = new int[rows.Count, columns.Count];
        List<int> labelsA = [], labelsB = [];
        for (var s = 0; s < train.Count; s++)
        {
            // Only sequences both clusterings place count (a clustering computed before an import misses the newer ones).
            if (!rowOf.TryGetValue(a.ClusterIds[s], out var r) || !columnOf.TryGetValue(b.ClusterIds[s], out var c)) continue;
            table[r, c]++;
            labelsA.Add(r);
            labelsB.Add(c);
        }
        List<ClusterSize> Sizes(List<Cluster> list, bool firstAxis) => list.Select((c, i) => new ClusterSize(c.Id, c.Name, c.IsOthers,
            Enumerable.Range(0, firstAxis ? columns.Count : rows.Count).Sum(j => firstAxis ? table[i, j] : table[j, i]))).ToList();
        return new ClusteringComparison(Summary(first, rows.Count), Summary(second, columns.Count), Sizes(rows, true), Sizes(columns, false),
            table, labelsA.Count, labelsA.Count < 2 ? 0 : ClusterQuality.AdjustedRandIndex(labelsA, labelsB));
    }

    public async Task<IReadOnlyList<ClusteringSummary>> ClusteringsAsync(int datasetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ClusteringsAsync(db, datasetId, ct);
    }

    private static async Task<IReadOnlyList<ClusteringSummary>> ClusteringsAsync(AppDbContext db, int datasetId, CancellationToken ct)
    {
        var clusterings = await db.Clusterings.AsNoTracking().Where(c => c.DatasetId == datasetId).ToListAsync(ct);
        var ids = clusterings.Select(c => c.Id).ToArray();
        var counts = await db.Clusters.Where(c => ids.Contains(c.ClusteringId)).GroupBy(c => c.ClusteringId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return clusterings.Select(c => Summary(c, counts.GetValueOrDefault(c.Id)))
            .OrderBy(c => c.Kind == ClusteringKinds.Curated ? 0 : 1).ThenBy(c => c.Status).ThenByDescending(c => c.Version)
            .ThenBy(c => c.Kind).ThenByDescending(c => c.CreatedAt).ToList();
    }

    private static ClusteringSummary Summary(Clustering c, int clusterCount) => new(
        c.Id, c.Name, c.Kind, c.Status, c.Version, clusterCount, c.Silhouette, c.CreatedAt, c.CreatedByName, c.BasedOnId, c.EnsembleRunId, c.RowVersion);

    private static async Task<IReadOnlyList<SequenceEventType>> VocabularyAsync(AppDbContext db, int datasetId, CancellationToken ct) =>
        await db.SequenceEventTypes.AsNoTracking().Where(e => e.DatasetId == datasetId).OrderBy(e => e.Index).ToListAsync(ct);

    private static async Task<IReadOnlyList<EnsembleSummary>> EnsemblesAsync(AppDbContext db, int datasetId, CancellationToken ct)
    {
        var models = await db.TopicModels.AsNoTracking().Where(m => m.DatasetId == datasetId)
            .Select(m => new { m.EnsembleRunId, m.TopicCount, m.CreatedAt }).ToListAsync(ct);
        return models.GroupBy(m => m.EnsembleRunId)
            .Select(g => new EnsembleSummary(g.Key, g.Max(m => m.CreatedAt), g.Select(m => m.TopicCount).Order().ToList()))
            .OrderByDescending(e => e.CreatedAt).ToList();
    }
}
