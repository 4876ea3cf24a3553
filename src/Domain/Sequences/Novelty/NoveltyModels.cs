namespace WebApp.Domain.Sequences.Novelty;

public enum NoveltyModelStatus
{
    /// <summary>Written when its job starts; never used for scoring.</summary>
    Training,
    /// <summary>Weights, threshold and validation figures committed together.</summary>
    Ready,
    Failed,
}

/// <summary>
/// The next-event models trained for one clustering: one per cluster (Others excepted) plus a global model on all
/// training sequences, which scores the sequences that fall into Others and serves as the baseline.
/// </summary>
public class NoveltyModelSet
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    /// <summary>The clustering the models follow; null for a set holding only the global model.</summary>
    public int? ClusteringId { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Training settings (grid, epochs, patience, validation share, seed) as JSON.</summary>
    public string Parameters { get; set; } = "{}";
    /// <summary>The false-positive rate on held-out normal data the thresholds aim for (e.g. 0.01).</summary>
    public double TargetFalsePositiveRate { get; set; } = 0.01;
    /// <summary>Evaluation on the dataset's test part (ROC/PR per cluster and overall, F1 at the thresholds) as JSON.</summary>
    public string? Evaluation { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
}

/// <summary>One next-event LSTM of a set: for a cluster, or the global model (<see cref="ClusterId"/> null).</summary>
public class NoveltyModel
{
    public int Id { get; set; }
    public int ModelSetId { get; set; }
    public int? ClusterId { get; set; }
    public NoveltyModelStatus Status { get; set; }
    public Guid? JobRunId { get; set; }
    /// <summary>The chosen embedding and hidden sizes, layers, epochs run, and the grid's validation perplexities, as JSON.</summary>
    public string Hyperparameters { get; set; } = "{}";
    public int TrainSequences { get; set; }
    public int ValidationSequences { get; set; }
    public double? ValidationPerplexity { get; set; }
    /// <summary>Perplexity of every held-out normal validation sequence, sorted: thresholds are percentiles of these.</summary>
    public float[] ValidationScores { get; set; } = [];
    /// <summary>A sequence scoring above this perplexity is novel.</summary>
    public double? Threshold { get; set; }
    public string Device { get; set; } = "";
    public double TrainingSeconds { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A model's weights (portable format of <c>NextEventWeights</c>), apart so listing models never loads them.</summary>
public class NoveltyModelFile
{
    public int ModelId { get; set; }
    public byte[] Content { get; set; } = [];
}

/// <summary>A batch scoring of an uploaded file (or of the dataset's test part) against a model set.</summary>
public class ScoringRun
{
    public int Id { get; set; }
    public int ModelSetId { get; set; }
    public Guid? JobRunId { get; set; }
    public string FileName { get; set; } = "";
    public int SequenceCount { get; set; }
    public int NovelCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
}

/// <summary>One scored sequence of a scoring run.</summary>
public class SequenceScore
{
    public int ScoringRunId { get; set; }
    /// <summary>Position in the scored file (1, 2, …).</summary>
    public int Ordinal { get; set; }
    public string SourceId { get; set; } = "";
    /// <summary>The events as dataset event-type indexes; −1 for an event the dataset has never seen.</summary>
    public int[] Events { get; set; } = [];
    /// <summary>The cluster it was assigned to (null: Others, scored by the global model).</summary>
    public int? ClusterId { get; set; }
    public int ModelId { get; set; }
    /// <summary>Why it went to that cluster (e.g. "category score 0.81 from topics …"), shown with the sequence.</summary>
    public string AssignmentReason { get; set; } = "";
    public double Perplexity { get; set; }
    /// <summary>−log p of each predicted event (and of the end of the sequence, last), in nats.</summary>
    public float[] Surprise { get; set; } = [];
    public bool IsNovel { get; set; }
    /// <summary>How many next events fell outside the model's top g (the DeepLog rule).</summary>
    public int TopGMisses { get; set; }
}
