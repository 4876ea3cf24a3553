using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.Sequences.Novelty;

/// <summary>Where a new sequence goes in a stored clustering: the cluster id (null: Others, scored by the global model) and why.</summary>
public sealed record StoredClusterChoice(int? ClusterId, string Reason);

/// <summary>
/// A stored clustering's rule for new sequences (<see cref="NewSequenceAssigner"/>), built from the database: curated
/// categories from their ensemble's topics, single LDA from its topics, k-means from its centroids, k-medoids from its
/// medoids; without a clustering every sequence goes to the global model.
/// </summary>
public sealed class StoredClusteringAssigner
{
    private readonly NewSequenceAssigner _assigner;
    private readonly IReadOnlyList<int?> _clusterIdByPosition;

    private StoredClusteringAssigner(NewSequenceAssigner assigner, IReadOnlyList<int?> clusterIdByPosition)
    {
        _assigner = assigner;
        _clusterIdByPosition = clusterIdByPosition;
    }

    public static StoredClusteringAssigner Global { get; } = new(NewSequenceAssigner.Global(), []);

    public StoredClusterChoice Assign(IReadOnlyList<int> events)
    {
        var choice = _assigner.Assign(events);
        var clusterId = choice.Cluster is { } position && position < _clusterIdByPosition.Count ? _clusterIdByPosition[position] : null;
        return new StoredClusterChoice(clusterId, choice.Reason);
    }

    /// <exception cref="InvalidDataException">The clustering is missing or lacks what its rule needs (topics, centres).</exception>
    public static async Task<StoredClusteringAssigner> LoadAsync(AppDbContext db, int? clusteringId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (clusteringId is not { } id) return Global;
        var clustering = await db.Clusterings.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct)
            ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Clustering {id} does not exist."));
        var clusters = await db.Clusters.AsNoTracking().Where(c => c.ClusteringId == id).OrderBy(c => c.Index).ToListAsync(ct);
        var own = clusters.Where(c => !c.IsOthers).ToList();
        switch (clustering.Kind)
        {
            case ClusteringKinds.Curated:
                {
                    var models = await db.TopicModels.AsNoTracking().Where(m => m.EnsembleRunId == clustering.EnsembleRunId)
                        .OrderBy(m => m.TopicCount).ToListAsync(ct);
                    var modelIds = models.Select(m => m.Id).ToList();
                    var topics = await db.Topics.AsNoTracking().Where(t => modelIds.Contains(t.TopicModelId)).ToListAsync(ct);
                    var ensemble = models.Select(m => new EnsembleModel(string.Create(CultureInfo.InvariantCulture, $"k{m.TopicCount}"),
                        [.. topics.Where(t => t.TopicModelId == m.Id).OrderBy(t => t.Index).Select(t => t.EventWeights)])).ToList();
                    var byId = topics.ToDictionary(t => t.Id, t => new TopicReference(modelIds.IndexOf(t.TopicModelId), t.Index));
                    var categories = own.Select(c => new CuratedCategory(c.Name,
                        [.. c.TopicIds.Select(t => byId.TryGetValue(t, out var reference) ? reference
                        : throw new InvalidDataException($"Category '{c.Name}' names a topic that is not in its ensemble."))])).ToList();
                    return new(NewSequenceAssigner.Curated(ensemble, categories, clustering.OthersThreshold), [.. own.Select(c => (int?)c.Id)]);
                }
            case ClusteringKinds.Lda:
                {
                    var topicIds = own.SelectMany(c => c.TopicIds).ToList();
                    var topics = await db.Topics.AsNoTracking().Where(t => topicIds.Contains(t.Id)).ToListAsync(ct);
                    var modelId = topics.Select(t => t.TopicModelId).Distinct().SingleOrDefault();
                    var all = await db.Topics.AsNoTracking().Where(t => t.TopicModelId == modelId).OrderBy(t => t.Index).ToListAsync(ct);
                    if (all.Count == 0) throw new InvalidDataException($"The LDA clustering '{clustering.Name}' has no topics.");
                    var clusterOfTopic = all.Select(t => own.FirstOrDefault(c => c.TopicIds.Contains(t.Id))?.Id).ToList();
                    return new(NewSequenceAssigner.SingleLda(new EnsembleModel(string.Create(CultureInfo.InvariantCulture, $"k{all.Count}"),
                        [.. all.Select(t => t.EventWeights)])), clusterOfTopic);
                }
            case ClusteringKinds.KMeans:
                return new(NewSequenceAssigner.KMeans([.. own.Select(c => Center(c, "centroid").Deserialize<float[]>()!)]),
                    [.. own.Select(c => (int?)c.Id)]);
            case ClusteringKinds.KMedoids:
                return new(NewSequenceAssigner.KMedoids([.. own.Select(c => Center(c, "events").Deserialize<int[]>()!)]),
                    [.. own.Select(c => (int?)c.Id)]);
            default:
                throw new InvalidDataException($"Clustering kind '{clustering.Kind}' has no rule for new sequences.");
        }
    }

    private static JsonElement Center(Cluster cluster, string property)
    {
        if (cluster.Center is null) throw new InvalidDataException($"Cluster '{cluster.Name}' has no stored centre.");
        using var document = JsonDocument.Parse(cluster.Center);
        return document.RootElement.TryGetProperty(property, out var value)
            ? value.Clone()
            : throw new InvalidDataException($"Cluster '{cluster.Name}' has no {property} in its centre.");
    }
}
