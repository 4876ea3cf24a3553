using Hangfire;

namespace WebApp.Domain.Sequences;

/// <summary>What a sequence import reads.</summary>
public enum SequenceImportFormat
{
    /// <summary>One sequence per line, events separated by spaces (trailing spaces and a missing final newline are fine); the line number is the id.</summary>
    Lines,
    /// <summary>CSV with a header: sequence id, position or timestamp, event.</summary>
    Csv,
    /// <summary>JSON lines: {"id", "events": [..], "label"?}.</summary>
    Jsonl,
    /// <summary>Known labels for sequences already in the dataset: sequence id, then normal or novel (CSV or tab-separated).</summary>
    Labels,
}

/// <summary>
/// An import: into the dataset <paramref name="DatasetId"/>, or a new dataset named <paramref name="NewDatasetName"/>.
/// <paramref name="LabelAll"/> gives every imported sequence that known label (e.g. a file of abnormal sessions).
/// </summary>
public sealed record SequenceImportParameters(
    SequenceImportFormat Format,
    Guid FileId,
    string FileName,
    int? DatasetId = null,
    string? NewDatasetName = null,
    string Part = SequenceParts.Train,
    KnownLabel? LabelAll = null,
    string? Description = null,
    string? Source = null)
{
    public IEnumerable<string> Validate()
    {
        if (DatasetId is null && string.IsNullOrWhiteSpace(NewDatasetName)) yield return "Choose a dataset or name a new one.";
        if (DatasetId is not null && NewDatasetName is not null) yield return "Import into an existing dataset or a new one, not both.";
        if (NewDatasetName is { Length: > 200 }) yield return "A dataset name has at most 200 characters.";
        if (!SequenceParts.All.Contains(Part)) yield return $"Part must be one of {string.Join(", ", SequenceParts.All)}.";
        if (Format == SequenceImportFormat.Labels && DatasetId is null) yield return "Labels are imported into an existing dataset.";
    }
}

/// <summary>Imports a file of sequences (or labels) all or nothing, reporting progress.</summary>
public interface ISequenceImportJob
{
    [AutomaticRetry(Attempts = 2)]
    Task RunAsync(Guid jobRunId, CancellationToken cancellationToken);
}

/// <summary>
/// An automatic clustering of a dataset's training sequences. <paramref name="Method"/> is
/// <see cref="ClusteringKinds.Lda"/> (an LDA ensemble, one model per k in MinK…MaxK, plus a single-LDA clustering),
/// <see cref="ClusteringKinds.KMeans"/> or <see cref="ClusteringKinds.KMedoids"/> (k chosen by silhouette).
/// </summary>
public sealed record SequenceClusteringParameters(
    int DatasetId,
    string Method,
    int MinK,
    int MaxK,
    int Seed = 1,
    int Iterations = 200)
{
    public static SequenceClusteringParameters Defaults(int datasetId, string method) => method switch
    {
        ClusteringKinds.Lda => new(datasetId, method, 2, 8),
        _ => new(datasetId, method, 2, 10),
    };

    public IEnumerable<string> Validate()
    {
        if (Method is not (ClusteringKinds.Lda or ClusteringKinds.KMeans or ClusteringKinds.KMedoids))
            yield return "Method must be lda, kmeans or kmedoids.";
        if (MinK < 2) yield return "The smallest k is 2.";
        if (MaxK < MinK) yield return "The largest k must be at least the smallest.";
        if (MaxK > 50) yield return "The largest k is 50.";
        if (Iterations is < 1 or > 10_000) yield return "Iterations must be between 1 and 10000.";
    }
}

/// <summary>Runs one automatic clustering and stores it (with topic models for LDA) in one transaction.</summary>
public interface ISequenceClusteringJob
{
    [AutomaticRetry(Attempts = 2)]
    Task RunAsync(Guid jobRunId, CancellationToken cancellationToken);
}
