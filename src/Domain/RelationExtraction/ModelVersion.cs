namespace WebApp.Domain.RelationExtraction;

/// <summary>A trained relation model. Written with its file and all its predictions in one transaction.</summary>
public class ModelVersion
{
    public int Id { get; set; }
    public int ProjectId { get; set; }
    /// <summary>1, 2, 3… within the project.</summary>
    public int Number { get; set; }
    public Guid? JobRunId { get; set; }
    public string Architecture { get; set; } = "";
    /// <summary>Options as JSON.</summary>
    public string Hyperparameters { get; set; } = "{}";
    /// <summary>What it was trained on (counts per split and relation, label sources) as JSON.</summary>
    public string DataSnapshot { get; set; } = "{}";
    /// <summary>Evaluation as JSON (held-out PR curve and AUC, P@N, per relation, sentence level against gold).</summary>
    public string Metrics { get; set; } = "{}";
    public double? HeldOutAuc { get; set; }
    public double? GoldF1 { get; set; }
    public string Device { get; set; } = "";
    public double TrainingSeconds { get; set; }
    public long ModelSizeBytes { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
    /// <summary>
    /// What the worker decided when the run asked for its model to be used (a <see cref="PromotionOutcomes"/> value);
    /// null when the run did not ask (an admin's trial run) — such a version is a candidate an admin may promote.
    /// </summary>
    public string? Promotion { get; set; }
    /// <summary>Why, in words: the measure, both values and the tolerance.</summary>
    public string? PromotionReason { get; set; }
}

/// <summary>The serialised model of a version, apart so listing versions never loads it.</summary>
public class ModelFile
{
    public int ModelVersionId { get; set; }
    public byte[] Content { get; set; } = [];
}

/// <summary>A model version's prediction for one candidate.</summary>
public class Prediction
{
    public int ModelVersionId { get; set; }
    public long CandidateId { get; set; }
    /// <summary>Softmax probability per relation, by <see cref="RelationType.Index"/>.</summary>
    public float[] Probabilities { get; set; } = [];
    public int TopRelationTypeId { get; set; }
    /// <summary>The top probability.</summary>
    public float Confidence { get; set; }
    /// <summary>Top minus second probability (margin sampling).</summary>
    public float Margin { get; set; }
    /// <summary>Entropy of the distribution in nats (entropy sampling).</summary>
    public float Entropy { get; set; }
    /// <summary>
    /// Place in the version's diverse batch (1 first): uncertain items unlike each other, chosen by k-center greedy on
    /// the model's sentence representations when the version was scored; null for items outside the batch.
    /// </summary>
    public int? DiverseRank { get; set; }
    /// <summary>
    /// Per token of the sentence, how many of the 3 × filters piecewise max-pooling slots the token won with a
    /// positive value: the evidence behind the prediction. Null for versions scored before it was stored.
    /// </summary>
    public short[]? TokenWins { get; set; }
}
