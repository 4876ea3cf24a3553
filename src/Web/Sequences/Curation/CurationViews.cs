using WebApp.Domain.Sequences;
using WebApp.Domain.Training;

namespace WebApp.Web.Sequences.Curation;

/// <summary>The outcome of a curator's decision: on success the draft's new row version, to send with the next edit.</summary>
/// <param name="Moved">How many sequences a move moved (identical copies included).</param>
public sealed record CurationResult(bool Succeeded, string? Error, uint RowVersion, int? ClusteringId = null, int Moved = 0)
{
    public static CurationResult Failed(string error) => new(false, error, 0);
}

public sealed record EnsembleSummary(Guid RunId, DateTime CreatedAt, IReadOnlyList<int> TopicCounts);

public sealed record ClusteringSummary(
    int Id, string Name, string Kind, ClusteringStatus Status, int Version, int ClusterCount, double? Silhouette,
    DateTime CreatedAt, string CreatedByName, int? BasedOnId, Guid? EnsembleRunId, uint RowVersion)
{
    public bool IsDraft => Kind == ClusteringKinds.Curated && Status == ClusteringStatus.Draft;

    public string Title => Kind == ClusteringKinds.Curated
        ? Status == ClusteringStatus.Saved ? $"Curated v{Version}" : $"Draft #{Id}"
        : Name.Length > 0 ? Name : $"{KindName(Kind)} #{Id}";

    public static string KindName(string kind) => kind switch
    {
        ClusteringKinds.Curated => "curated",
        ClusteringKinds.Lda => "LDA (argmax topic)",
        ClusteringKinds.KMeans => "k-means",
        ClusteringKinds.KMedoids => "k-medoids",
        _ => kind,
    };
}

public sealed record DatasetOverview(
    SequenceDataset Dataset, int TrainCount, int TestCount, long EventCount, int LabelledCount,
    IReadOnlyList<SequenceEventType> Vocabulary, IReadOnlyList<EnsembleSummary> Ensembles,
    IReadOnlyList<ClusteringSummary> Clusterings, IReadOnlyList<JobRun> JobRuns);

public sealed record EventShare(int Event, double Share);

/// <summary>A distinct sequence shown as a strip: the first of its copies, and how many there are.</summary>
public sealed record RepresentativeSequence(long SequenceId, string SourceId, int[] Events, int Multiplicity, double? Value = null);

public sealed record ClusterCardData(
    Cluster Cluster, int Size, int ManualCount, IReadOnlyList<EventShare> TopEvents,
    IReadOnlyList<RepresentativeSequence> Representatives, double Entropy, IReadOnlyList<EnsembleTopic> Topics);

public sealed record StepSummary(long Id, string Action, string Summary, DateTime CreatedAt, string CreatedByName);

public sealed record WorkbenchView(
    ClusteringSummary Clustering, double OthersThreshold, IReadOnlyList<SequenceEventType> Vocabulary,
    IReadOnlyList<ClusterCardData> Cards, EnsembleData? Ensemble, IReadOnlyList<StepSummary> Steps, int TrainCount);

public sealed record ClusteringQuality(double Overall, IReadOnlyDictionary<int, double> PerCluster, int DistinctPoints);

public sealed record TopicDetail(EnsembleTopic Topic, IReadOnlyList<EventShare> TopEvents, IReadOnlyList<RepresentativeSequence> Sequences);

public sealed record TopicsView(
    IReadOnlyList<EnsembleSummary> Ensembles, EnsembleData? Ensemble, IReadOnlyList<SequenceEventType> Vocabulary);

public sealed record SearchHit(long SequenceId, string SourceId, int[] Events, int Start, int Length, int ClusterId, string? ClusterName, bool IsManual);

public sealed record SearchResult(string? Error, int Total, int Distinct, IReadOnlyList<SearchHit> Hits);

public sealed record ClusterSize(int Id, string Name, bool IsOthers, int Size);

public sealed record ClusteringComparison(
    ClusteringSummary First, ClusteringSummary Second, IReadOnlyList<ClusterSize> FirstClusters, IReadOnlyList<ClusterSize> SecondClusters,
    int[,] Contingency, int Items, double AdjustedRand);
