using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;

namespace WebApp.Web.Sequences.Novelty;

/// <summary>One sequence scored online: its perplexity, surprise per event (and for the end), the flag, where it went and why.</summary>
public sealed record OnlineScore(string Id, double Perplexity, float[] Surprise, bool Novel, int TopGMisses, int? ClusterId, string? Cluster,
    int ModelId, double Threshold, string Reason, int UnknownEvents);

/// <summary>What a set needs to score online: its assigner and, per cluster (null: global), the Ready model's id and threshold.</summary>
public sealed record OnlineModelSet(int DatasetId, StoredClusteringAssigner Assigner, IReadOnlyDictionary<int, (int ModelId, double Threshold, string Name)> Clusters,
    (int ModelId, double Threshold) Global, IReadOnlyDictionary<string, int> Vocabulary, int TopG);

/// <summary>
/// Scores sequences in the web with the pure C# <see cref="LstmInference"/> (never TorchSharp). Weights of Ready
/// models never change, nor do saved clusterings, so both are cached; thresholds (which curators adjust) are read
/// per request.
/// </summary>
public sealed class OnlineScorer(IDbContextFactory<AppDbContext> dbFactory)
{
    private readonly ConcurrentDictionary<int, Lazy<Task<LstmInference>>> _models = new();
    private readonly ConcurrentDictionary<int, Lazy<Task<StoredClusteringAssigner>>> _assigners = new();

    /// <summary>The set that scores the dataset's sequences when the caller names none; null when it has none.</summary>
    public async Task<int?> PredictionSetIdAsync(int datasetId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await NoveltyPredictionSet.ForDatasetAsync(db, datasetId, ct);
    }

    /// <summary>The set as of now; null when it does not exist in that dataset. Throws <see cref="InvalidDataException"/> when it is not trained yet.</summary>
    public async Task<OnlineModelSet?> LoadSetAsync(int datasetId, int setId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.NoveltyModelSets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == setId && s.DatasetId == datasetId, ct);
        if (set is null) return null;
        var models = await db.NoveltyModels.AsNoTracking().Where(m => m.ModelSetId == setId && m.Status == NoveltyModelStatus.Ready)
            .Select(m => new { m.Id, m.ClusterId, m.Threshold }).ToListAsync(ct);
        var global = models.FirstOrDefault(m => m.ClusterId is null)
            ?? throw new InvalidDataException("The model set's global model is not trained yet.");
        var clusterIds = models.Where(m => m.ClusterId is not null).Select(m => m.ClusterId!.Value).ToList();
        var names = await db.Clusters.AsNoTracking().Where(c => clusterIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var vocabulary = await db.SequenceEventTypes.AsNoTracking().Where(e => e.DatasetId == datasetId).ToDictionaryAsync(e => e.Key, e => e.Index, ct);
        var settings = JsonSerializer.Deserialize<NoveltyTrainingSettings>(set.Parameters, JobJson.Options) ?? NoveltyTrainingSettings.Defaults();
        var assigner = set.ClusteringId is { } clusteringId
            ? await _assigners.GetOrAdd(clusteringId, id => new Lazy<Task<StoredClusteringAssigner>>(() => LoadAssignerAsync(id))).Value
            : StoredClusteringAssigner.Global;
        return new OnlineModelSet(datasetId, assigner,
            models.Where(m => m.ClusterId is not null).ToDictionary(m => m.ClusterId!.Value,
                m => (m.Id, m.Threshold ?? double.PositiveInfinity, names.GetValueOrDefault(m.ClusterId!.Value, ""))),
            (global.Id, global.Threshold ?? double.PositiveInfinity), vocabulary, settings.TopG);
    }

    public async Task<OnlineScore> ScoreAsync(OnlineModelSet set, string id, IReadOnlyList<string> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(events);
        var indexes = events.Select(e => set.Vocabulary.TryGetValue(e, out var index) ? index : -1).ToArray();
        var choice = set.Assigner.Assign(indexes);
        var (modelId, threshold, name, reason) = choice.ClusterId is { } clusterId && set.Clusters.TryGetValue(clusterId, out var own)
            ? (own.ModelId, own.Threshold, own.Name, choice.Reason)
            : (set.Global.ModelId, set.Global.Threshold, null,
                choice.ClusterId is null ? choice.Reason : choice.Reason + "; its cluster has no trained model, so the global model scored it");
        var model = await ModelAsync(modelId, ct);
        var score = model.Score(indexes, set.TopG);
        return new OnlineScore(id, score.Perplexity, score.Surprise, score.Perplexity > threshold, score.TopGMisses,
            name is null ? null : choice.ClusterId, name, modelId, threshold, reason, indexes.Count(i => i < 0));
    }

    private Task<LstmInference> ModelAsync(int modelId, CancellationToken ct)
    {
        var lazy = _models.GetOrAdd(modelId, id => new Lazy<Task<LstmInference>>(() => LoadModelAsync(id)));
        return lazy.Value.WaitAsync(ct);
    }

    private async Task<LstmInference> LoadModelAsync(int modelId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var bytes = await db.NoveltyModelFiles.AsNoTracking().Where(f => f.ModelId == modelId).Select(f => f.Content).SingleAsync();
        return new LstmInference(NextEventWeights.FromBytes(bytes));
    }

    private async Task<StoredClusteringAssigner> LoadAssignerAsync(int clusteringId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await StoredClusteringAssigner.LoadAsync(db, clusteringId, CancellationToken.None);
    }
}
