using Hangfire;

namespace WebApp.Domain.Sequences.Novelty;

/// <summary>
/// How a model set's next-event LSTMs are trained (stored as the set's <see cref="NoveltyModelSet.Parameters"/>):
/// a grid over embedding and hidden sizes chosen by validation perplexity, early stopping after
/// <see cref="Patience"/> epochs without improvement, and a seeded split of each cluster's training sequences into
/// training and validation (<see cref="ValidationShare"/>).
/// </summary>
public sealed record NoveltyTrainingSettings(
    int[] EmbeddingSizes,
    int[] HiddenSizes,
    int Layers = 1,
    int MaxEpochs = 100,
    int Patience = 10,
    double LearningRate = 0.01,
    int BatchSize = 32,
    double ValidationShare = 0.2,
    int TopG = 9,
    int Seed = 1)
{
    public const int MaxSize = 512;

    public static NoveltyTrainingSettings Defaults() => new([16, 32], [64, 128]);

    public IEnumerable<string> Validate()
    {
        if (EmbeddingSizes is not { Length: > 0 } || HiddenSizes is not { Length: > 0 })
            yield return "Give at least one embedding size and one hidden size.";
        else if (EmbeddingSizes.Concat(HiddenSizes).Any(s => s is < 2 or > MaxSize))
            yield return $"Embedding and hidden sizes must be between 2 and {MaxSize}.";
        if (Layers is < 1 or > 2) yield return "An LSTM has 1 or 2 layers.";
        if (MaxEpochs is < 1 or > 500) yield return "Epochs must be between 1 and 500.";
        if (Patience is < 1 or > 100) yield return "Patience must be between 1 and 100 epochs.";
        if (LearningRate is <= 0 or > 1) yield return "The learning rate must be above 0 and at most 1.";
        if (BatchSize is < 1 or > 4096) yield return "The batch size must be between 1 and 4096.";
        if (ValidationShare is < 0.05 or > 0.5) yield return "The validation share must be between 0.05 and 0.5.";
        if (TopG is < 1 or > 100) yield return "g (top-g rule) must be between 1 and 100.";
    }
}

/// <summary>
/// A request to train a model set on <paramref name="DatasetId"/>: per cluster of the saved clustering
/// <paramref name="ClusteringId"/> (Others excluded) plus the global model, or the global model alone (null).
/// </summary>
public sealed record NoveltyModelSetRequest(
    int DatasetId,
    int? ClusteringId,
    NoveltyTrainingSettings Settings,
    double TargetFalsePositiveRate = 0.01,
    string? Name = null)
{
    public IEnumerable<string> Validate()
    {
        if (TargetFalsePositiveRate is <= 0 or >= 0.5) yield return "The target false-positive rate must be above 0 and below 0.5.";
        if (Name is { Length: > 200 }) yield return "A model set's name has at most 200 characters.";
        foreach (var error in Settings.Validate()) yield return error;
    }
}

/// <summary>What one training job trains: the model of <paramref name="ClusterId"/> in the set (null: the global model).</summary>
public sealed record NoveltyTrainingParameters(int ModelSetId, int? ClusterId);

/// <summary>
/// Trains one model of a set and stores it Ready (weights, validation scores, threshold) in one transaction; the job
/// that completes the set's last model evaluates the set on the dataset's test part.
/// </summary>
public interface INoveltyTrainingJob
{
    [AutomaticRetry(Attempts = 2)]
    Task RunAsync(Guid jobRunId, CancellationToken cancellationToken);
}

/// <summary>Scores an uploaded file of sequences (<see cref="SequenceImportFormat.Lines"/>, Csv or Jsonl) with a model set.</summary>
public sealed record NoveltyScoringParameters(int ModelSetId, SequenceImportFormat Format, Guid FileId, string FileName)
{
    public IEnumerable<string> Validate()
    {
        if (Format == SequenceImportFormat.Labels) yield return "Score a file of sequences (lines, CSV or JSON lines), not labels.";
        if (string.IsNullOrWhiteSpace(FileName)) yield return "Upload a file to score.";
        if (FileName is { Length: > 260 }) yield return "A file name has at most 260 characters.";
    }
}

/// <summary>Scores a file into a <see cref="ScoringRun"/> with its <see cref="SequenceScore"/>s, all or nothing.</summary>
public interface INoveltyScoringJob
{
    [AutomaticRetry(Attempts = 2)]
    Task RunAsync(Guid jobRunId, CancellationToken cancellationToken);
}
