namespace WebApp.Domain.Training;

public enum JobRunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    /// <summary>Stopped at an Admin's request before it finished; it wrote no result.</summary>
    Cancelled,
}

/// <summary>
/// Our own record of a background job: what the UI shows. Hangfire's tables are its internals;
/// every training job of the application reports here.
/// </summary>
public class JobRun
{
    public Guid Id { get; set; }
    /// <summary>What kind of job, e.g. <see cref="JobKinds.DemoTraining"/>.</summary>
    public string Kind { get; set; } = "";
    public string Queue { get; set; } = JobQueues.Default;
    public JobRunStatus Status { get; set; }
    /// <summary>Hyperparameters and inputs as JSON.</summary>
    public string? Parameters { get; set; }
    public string? HangfireJobId { get; set; }
    public string? RequestedByUserId { get; set; }
    public string RequestedByName { get; set; } = "";

    public int Step { get; set; }
    public int TotalSteps { get; set; }
    /// <summary>0 to 1.</summary>
    public double Progress { get; set; }
    public double? Loss { get; set; }
    public string? Message { get; set; }
    /// <summary>The latest metric on development or validation data the trainer reported, e.g. "dev AUC".</summary>
    public string? DevMetricName { get; set; }
    public double? DevMetricValue { get; set; }
    /// <summary>Final metrics as JSON.</summary>
    public string? Metrics { get; set; }

    public string? Device { get; set; }
    public string? WorkerHost { get; set; }
    /// <summary>How many times a worker has started this run (Hangfire retries after a failure or a killed worker).</summary>
    public int Attempts { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }

    /// <summary>When an Admin asked to stop the run; the worker sees it at its next progress report.</summary>
    public DateTime? CancelRequestedAt { get; set; }
    public string? CancelRequestedByName { get; set; }
    /// <summary>The failed or cancelled run this one starts again.</summary>
    public Guid? RetryOfId { get; set; }

    public bool IsFinished => Status is JobRunStatus.Succeeded or JobRunStatus.Failed or JobRunStatus.Cancelled;
}

public static class JobKinds
{
    public const string DemoTraining = "demo-training";
    public const string RelationImport = "relation-import";
    public const string RelationTraining = "relation-training";
    public const string LearningCurve = "learning-curve";
    /// <summary>What the expert labels bought: models trained with and without them, per seed.</summary>
    public const string ExpertValue = "relation-expert-value";
    public const string SequenceImport = "sequence-import";
    public const string SequenceClustering = "sequence-clustering";
    public const string NoveltyTraining = "novelty-training";
    public const string NoveltyScoring = "novelty-scoring";
}

public static class JobQueues
{
    public const string Default = "default";
    public const string Gpu = "gpu";
    /// <summary>
    /// Automatic retraining after expert labels. Every worker serves it with a slot of its own, so a long study on
    /// <see cref="Default"/> (a learning-curve simulation, a clustering) never holds the loop back.
    /// </summary>
    public const string Retrain = "retrain";
    /// <summary>The queues a person picks from on a form.</summary>
    public static readonly IReadOnlyList<string> All = [Default, Gpu];
    /// <summary>Every queue a job may be enqueued on.</summary>
    public static readonly IReadOnlyList<string> Known = [Default, Gpu, Retrain];
}

/// <summary>How job parameters and metrics are written to <see cref="JobRun"/> (camelCase JSON).</summary>
public static class JobJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new(System.Text.Json.JsonSerializerDefaults.Web);
}
