using Hangfire;

namespace WebApp.Domain.RelationExtraction;

/// <summary>What an import reads.</summary>
public enum RelationImportFormat
{
    /// <summary>TSV: relation key, name, guideline.</summary>
    Relations,
    /// <summary>TSV or CSV facts (head id, head name, relation, tail id, tail name), optional aliases file (entity id, alias).</summary>
    KnowledgeBase,
    /// <summary>Plain text (documents separated by blank lines) or JSONL ({"id", "title", "text"}); entities found by dictionary matching.</summary>
    Corpus,
    /// <summary>OpenNRE JSONL: token or text, h/t with name, id, pos, and relation (gold when present).</summary>
    OpenNre,
    /// <summary>FewRel JSON: relation id → instances with tokens, h, t.</summary>
    FewRel,
}

public sealed record RelationImportParameters(
    int ProjectId,
    RelationImportFormat Format,
    Guid FileId,
    string FileName,
    Guid? AliasesFileId = null,
    string? AliasesFileName = null);

/// <summary>Imports a file into a project, all or nothing, then relabels the project by distant supervision.</summary>
public interface IRelationImportJob
{
    // Hangfire reads job filters from the method it enqueued, which is this interface's.
    [AutomaticRetry(Attempts = 2)]
    Task RunAsync(Guid jobRunId, CancellationToken cancellationToken);
}

/// <summary>Trains a relation model, evaluates it, and stores the version with predictions for every candidate.</summary>
public interface IRelationTrainingJob
{
    [AutomaticRetry(Attempts = 2)]
    Task RunAsync(Guid jobRunId, CancellationToken cancellationToken);
}

public static class BagAggregations
{
    public const string One = "one";
    public const string Average = "avg";
    public const string Attention = "att";
    public static readonly IReadOnlyList<string> All = [Attention, Average, One];
}

public static class Optimizers
{
    public const string Sgd = "sgd";
    public const string Adam = "adam";
    public static readonly IReadOnlyList<string> All = [Adam, Sgd];
}

/// <summary>
/// A training run's settings. <paramref name="WarmStart"/>: start from the weights of the project's active model
/// version instead of a random initialisation, when its network is compatible (same relations and network shape);
/// otherwise the run trains from scratch and records why.
/// </summary>
public sealed record RelationTrainingParameters(
    int ProjectId,
    string Aggregation = BagAggregations.Attention,
    string Optimizer = Optimizers.Adam,
    double LearningRate = 0.003,
    int Epochs = 30,
    int BatchSize = 160,
    int Patience = 5,
    double Dropout = 0.5,
    int Seed = 42,
    double? NaSamplingRatio = null,
    double ExpertLabelWeight = 2.0,
    bool ActivateWhenDone = false,
    bool WarmStart = false)
{
    public IEnumerable<string> Validate()
    {
        if (!BagAggregations.All.Contains(Aggregation)) yield return $"Bag aggregation must be one of {string.Join(", ", BagAggregations.All)}.";
        if (!Optimizers.All.Contains(Optimizer)) yield return $"Optimizer must be one of {string.Join(", ", Optimizers.All)}.";
        if (LearningRate is <= 0 or > 10) yield return "Learning rate must be greater than 0 and at most 10.";
        if (Epochs is < 1 or > 1000) yield return "Epochs must be between 1 and 1000.";
        if (BatchSize is < 1 or > 10_000) yield return "Batch size must be between 1 and 10000 bags.";
        if (Patience is < 1 or > 1000) yield return "Patience must be between 1 and 1000 epochs.";
        if (Dropout is < 0 or >= 1) yield return "Dropout must be at least 0 and below 1.";
        if (NaSamplingRatio is < 0 or > 1000) yield return "NA sampling ratio must be between 0 and 1000.";
        if (ExpertLabelWeight is <= 0 or > 100) yield return "Expert label weight must be greater than 0 and at most 100.";
    }
}
