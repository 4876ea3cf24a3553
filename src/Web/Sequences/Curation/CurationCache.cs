using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Sequences;

namespace WebApp.Web.Sequences.Curation;

/// <summary>A dataset's training sequences in import order: what every workbench figure is computed over.</summary>
public sealed class TrainSequences(int datasetId, long[] ids, string[] sourceIds, int[][] events)
{
    public int DatasetId { get; } = datasetId;
    public long[] Ids { get; } = ids;
    /// <summary>The ids the source file gave (shown next to a sequence).</summary>
    public string[] SourceIds { get; } = sourceIds;
    public int[][] Events { get; } = events;
    public IReadOnlyDictionary<long, int> PositionOf { get; } = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
    public int Count => Ids.Length;
}

public sealed record EnsembleTopic(int Id, int ModelId, int TopicCount, int Index, float[] EventWeights)
{
    public string Label => $"k{TopicCount}·t{Index + 1}";
}

/// <summary>An LDA ensemble's topics and every training sequence's probability per topic (immutable once fitted).</summary>
public sealed class EnsembleData(Guid runId, IReadOnlyList<EnsembleTopic> topics, float[]?[] probabilities, TrainSequences train)
{
    public Guid RunId { get; } = runId;
    /// <summary>Ordered by k, then topic index.</summary>
    public IReadOnlyList<EnsembleTopic> Topics { get; } = topics;
    public IReadOnlyDictionary<int, int> TopicPosition { get; } = topics.Select((t, i) => (t.Id, i)).ToDictionary(x => x.Id, x => x.i);
    /// <summary>By training position, the probability per topic position; null where the sequence has no mixture.</summary>
    public float[]?[] Probabilities { get; } = probabilities;
    public TrainSequences Train { get; } = train;

    /// <summary>Sequence s's probability of a topic id, as the assignment rule reads it.</summary>
    public Func<int, double>? ProbabilityOf(int s) => Probabilities[s] is { } row
        ? topicId => TopicPosition.TryGetValue(topicId, out var p) ? row[p] : 0
        : null;
}

/// <summary>A clustering's assignments by training position (cluster id, or 0 where a sequence has none).</summary>
public sealed record AssignmentArrays(int[] ClusterIds, float?[] Scores, bool[] IsManual);

/// <summary>
/// Keeps what the workbench reads on every request and what never changes in between: training sequences (until an
/// import adds some), ensembles' mixtures (immutable), and a clustering's assignments per row version (a saved or
/// automatic clustering never changes; a draft's row version changes with every edit).
/// </summary>
public sealed class CurationCache(IDbContextFactory<AppDbContext> dbFactory)
{
    private const int MaxEntries = 16;
    private readonly ConcurrentDictionary<(int Dataset, int Count, long MaxId), Lazy<Task<TrainSequences>>> _train = new();
    private readonly ConcurrentDictionary<(Guid Run, int Count), Lazy<Task<EnsembleData>>> _ensembles = new();
    private readonly ConcurrentDictionary<(int Clustering, uint RowVersion, int Count), Lazy<Task<AssignmentArrays>>> _assignments = new();
    private readonly ConcurrentDictionary<(int Clustering, uint RowVersion), Task<ClusteringQuality>> _quality = new();

    public async Task<TrainSequences> TrainAsync(int datasetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var shape = await db.EventSequences.Where(s => s.DatasetId == datasetId && s.Part == SequenceParts.Train)
            .GroupBy(_ => 1).Select(g => new { Count = g.Count(), MaxId = g.Max(s => s.Id) }).FirstOrDefaultAsync(ct);
        var key = (datasetId, shape?.Count ?? 0, shape?.MaxId ?? 0);
        return await GetAsync(_train, key, async () =>
        {
            await using var load = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var rows = await load.EventSequences.AsNoTracking()
                .Where(s => s.DatasetId == datasetId && s.Part == SequenceParts.Train)
                .OrderBy(s => s.Ordinal).Select(s => new { s.Id, s.SourceId, s.Events }).ToListAsync();
            return new TrainSequences(datasetId, rows.Select(r => r.Id).ToArray(), rows.Select(r => r.SourceId).ToArray(),
                rows.Select(r => r.Events).ToArray());
        });
    }

    public async Task<EnsembleData> EnsembleAsync(TrainSequences train, Guid runId)
    {
        return await GetAsync(_ensembles, (runId, train.Count), async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var topics = await (from model in db.TopicModels
                                join topic in db.Topics on model.Id equals topic.TopicModelId
                                where model.DatasetId == train.DatasetId && model.EnsembleRunId == runId
                                orderby model.TopicCount, topic.Index
                                select new EnsembleTopic(topic.Id, model.Id, model.TopicCount, topic.Index, topic.EventWeights))
                .AsNoTracking().ToListAsync();
            var modelIds = topics.Select(t => t.ModelId).Distinct().ToArray();
            var positionOfTopic = topics.Select((t, i) => (t, i)).ToDictionary(x => (x.t.ModelId, x.t.Index), x => x.i);
            var probabilities = new float[]?[train.Count];
            var mixtures = db.SequenceTopicMixtures.AsNoTracking().Where(m => modelIds.Contains(m.TopicModelId))
                .Select(m => new { m.TopicModelId, m.SequenceId, m.Weights }).AsAsyncEnumerable();
            await foreach (var mixture in mixtures)
            {
                if (!train.PositionOf.TryGetValue(mixture.SequenceId, out var s)) continue;
                var row = probabilities[s] ??= new float[topics.Count];
                for (var t = 0; t < mixture.Weights.Length; t++)
                {
                    if (positionOfTopic.TryGetValue((mixture.TopicModelId, t), out var p)) row[p] = mixture.Weights[t];
                }
            }
            return new EnsembleData(runId, topics, probabilities, train);
        });
    }

    public Task<AssignmentArrays> AssignmentsAsync(TrainSequences train, int clusteringId, uint rowVersion) =>
        GetAsync(_assignments, (clusteringId, rowVersion, train.Count), async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var clusterIds = new int[train.Count];
            var scores = new float?[train.Count];
            var manual = new bool[train.Count];
            var rows = db.SequenceAssignments.AsNoTracking().Where(a => a.ClusteringId == clusteringId)
                .Select(a => new { a.SequenceId, a.ClusterId, a.Score, a.IsManual }).AsAsyncEnumerable();
            await foreach (var row in rows)
            {
                if (!train.PositionOf.TryGetValue(row.SequenceId, out var s)) continue;
                (clusterIds[s], scores[s], manual[s]) = (row.ClusterId, row.Score, row.IsManual);
            }
            return new AssignmentArrays(clusterIds, scores, manual);
        });

    /// <summary>Keeps the assignments an edit has just written under the draft's new row version: the reload after it reads no rows.</summary>
    public void Remember(TrainSequences train, int clusteringId, uint rowVersion, AssignmentArrays assignments)
    {
        if (_assignments.Count > MaxEntries) _assignments.Clear();
        _assignments[(clusteringId, rowVersion, train.Count)] = new Lazy<Task<AssignmentArrays>>(Task.FromResult(assignments));
    }

    /// <summary>Computed once per clustering state; later calls for the same state wait for or reuse it.</summary>
    public Task<ClusteringQuality> QualityAsync(int clusteringId, uint rowVersion, Func<Task<ClusteringQuality>> compute)
    {
        if (_quality.Count > MaxEntries * 4) _quality.Clear();
        return _quality.GetOrAdd((clusteringId, rowVersion), _ => Task.Run(compute));
    }

    private static async Task<T> GetAsync<TKey, T>(ConcurrentDictionary<TKey, Lazy<Task<T>>> cache, TKey key, Func<Task<T>> load)
        where TKey : notnull
    {
        // A small bound is enough: a page uses one dataset, one ensemble and a couple of clusterings at a time.
        if (cache.Count > MaxEntries) cache.Clear();
        var entry = cache.GetOrAdd(key, _ => new Lazy<Task<T>>(load));
        try
        {
            return await entry.Value;
        }
        catch
        {
            cache.TryRemove(key, out _);
            throw;
        }
    }
}
