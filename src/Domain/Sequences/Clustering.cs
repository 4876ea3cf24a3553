namespace WebApp.Domain.Sequences;

/// <summary>
/// One LDA model over the event counts of a dataset's training sequences. An ensemble is the models of one run
/// (k = 2…8), sharing <see cref="EnsembleRunId"/>.
/// </summary>
public class TopicModel
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    /// <summary>The job run that fitted it; the models of one ensemble share it.</summary>
    public Guid EnsembleRunId { get; set; }
    public int TopicCount { get; set; }
    /// <summary>Settings (alpha, beta, iterations, seed) as JSON.</summary>
    public string Parameters { get; set; } = "{}";
    /// <summary>Mean log-likelihood per event or another fit statistic, when the fitter reports it.</summary>
    public double? Perplexity { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A topic: a distribution over the dataset's event types.</summary>
public class Topic
{
    public int Id { get; set; }
    public int TopicModelId { get; set; }
    /// <summary>0…k−1 within its model.</summary>
    public int Index { get; set; }
    /// <summary>Probability of each event type, by <see cref="SequenceEventType.Index"/> (sums to 1).</summary>
    public float[] EventWeights { get; set; } = [];
}

/// <summary>A sequence's topic mixture under one topic model (probabilities by topic index, summing to 1).</summary>
public class SequenceTopicMixture
{
    public int TopicModelId { get; set; }
    public long SequenceId { get; set; }
    public float[] Weights { get; set; } = [];
}

public static class ClusteringKinds
{
    /// <summary>The curator's categories built from topics (informed clustering).</summary>
    public const string Curated = "curated";
    /// <summary>One LDA model, each sequence to its most probable topic.</summary>
    public const string Lda = "lda";
    /// <summary>k-means on event counts, k by silhouette.</summary>
    public const string KMeans = "kmeans";
    /// <summary>k-medoids on edit distance between distinct sequences.</summary>
    public const string KMedoids = "kmedoids";
    public static readonly IReadOnlyList<string> All = [Curated, Lda, KMeans, KMedoids];
}

public enum ClusteringStatus
{
    /// <summary>Being shaped by a curator; may change.</summary>
    Draft,
    /// <summary>A saved version: never changes again; models are trained on it.</summary>
    Saved,
}

/// <summary>A partition of a dataset's training sequences into clusters.</summary>
public class Clustering
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    public string Name { get; set; } = "";
    /// <summary>A <see cref="ClusteringKinds"/> key.</summary>
    public string Kind { get; set; } = ClusteringKinds.Curated;
    public ClusteringStatus Status { get; set; }
    /// <summary>For curated clusterings: 1, 2, 3… among the saved versions of the dataset; 0 for a draft.</summary>
    public int Version { get; set; }
    /// <summary>The saved version a draft started from, or the draft a version was saved from.</summary>
    public int? BasedOnId { get; set; }
    /// <summary>The job run that computed an automatic clustering.</summary>
    public Guid? JobRunId { get; set; }
    /// <summary>For curated clusterings: the ensemble whose topics the categories use.</summary>
    public Guid? EnsembleRunId { get; set; }
    /// <summary>Curated: a sequence whose best category scores below this goes to Others.</summary>
    public double OthersThreshold { get; set; } = CategoryAssignment.DefaultOthersThreshold;
    /// <summary>Settings and quality figures (k, silhouette per k, …) as JSON.</summary>
    public string Parameters { get; set; } = "{}";
    /// <summary>Mean silhouette of the whole clustering on event counts, when computed.</summary>
    public double? Silhouette { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
    public DateTime? SavedAt { get; set; }
    /// <summary>Optimistic concurrency: two curators editing one draft never overwrite each other silently.</summary>
    public uint RowVersion { get; set; }
}

/// <summary>A cluster, or for a curated clustering a named category.</summary>
public class Cluster
{
    public int Id { get; set; }
    public int ClusteringId { get; set; }
    /// <summary>0, 1, … within the clustering (display order).</summary>
    public int Index { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>The catch-all for sequences that fit no category; it gets no model of its own.</summary>
    public bool IsOthers { get; set; }
    /// <summary>Curated: the <see cref="Topic"/> ids grouped into this category.</summary>
    public int[] TopicIds { get; set; } = [];
    /// <summary>Automatic clusterings: the centroid (k-means) or medoid sequence id (k-medoids) as JSON.</summary>
    public string? Center { get; set; }
}

/// <summary>Which cluster a training sequence belongs to in a clustering.</summary>
public class SequenceAssignment
{
    public int ClusteringId { get; set; }
    public long SequenceId { get; set; }
    public int ClusterId { get; set; }
    /// <summary>Curated: the winning category's score (mean probability of its topics); automatic: null.</summary>
    public float? Score { get; set; }
    /// <summary>Moved here by a curator: kept when categories change.</summary>
    public bool IsManual { get; set; }
}
