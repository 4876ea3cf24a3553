namespace WebApp.Domain.RelationExtraction;

/// <summary>A relation-extraction project: its knowledge base, corpus, candidates, models and labels.</summary>
public class RelationProject
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>Training keeps at most this many NA bags per positive bag (NA is the majority class); 0 keeps none.</summary>
    public double NaSamplingRatio { get; set; } = DefaultNaSamplingRatio;
    /// <summary>The model version whose predictions the pages and active learning use.</summary>
    public int? ActiveModelVersionId { get; set; }
    /// <summary>How many experts label each candidate (more than one measures agreement).</summary>
    public int LabelOverlap { get; set; } = 1;
    /// <summary>Which uncertainty of the active model orders the labelling queue (a <see cref="Labeling.QueueOrders"/> key).</summary>
    public string QueueOrder { get; set; } = Labeling.QueueOrders.Margin;
    /// <summary>
    /// The admin-owned settings automatic retraining trains with (<see cref="RelationTrainingParameters"/> as JSON, its
    /// project id and activation flag ignored); null: the measured defaults. Never the last run's settings: a 2-epoch
    /// trial run once became the template and every retraining after it was worse.
    /// </summary>
    public string? StandingTraining { get; set; }
    /// <summary>The queue automatic retraining goes to; null: <see cref="Training.JobQueues.Retrain"/>.</summary>
    public string? StandingTrainingQueue { get; set; }
    /// <summary>
    /// How much worse than the active version (on the project's held-out measure) a new version may be and still be
    /// promoted by the worker: measurement noise between seeds, not a licence to get worse.
    /// </summary>
    public double PromotionTolerance { get; set; } = DefaultPromotionTolerance;
    public DateTime CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";

    public const double DefaultNaSamplingRatio = 1.0;
    public const double DefaultPromotionTolerance = 0.01;
}

/// <summary>A relation the project extracts; exactly one per project is NA ("no relation"), always index 0.</summary>
public class RelationType
{
    public int Id { get; set; }
    public int ProjectId { get; set; }
    /// <summary>The key used in imported files, e.g. a Wikidata property id.</summary>
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>The labelling guideline shown to experts.</summary>
    public string Description { get; set; } = "";
    public bool IsNa { get; set; }
    /// <summary>Position in a model's output; NA is 0.</summary>
    public int Index { get; set; }

    public const string NaKey = "NA";
}
