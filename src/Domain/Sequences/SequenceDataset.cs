namespace WebApp.Domain.Sequences;

/// <summary>A named collection of event sequences with its event vocabulary, clusterings and models.</summary>
public class SequenceDataset
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>Where the data came from and under which licence (shown with the dataset).</summary>
    public string Source { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
    /// <summary>
    /// The novelty model set online scoring uses when the caller names none; null: the newest set whose global model
    /// is trained (see <c>NoveltyPredictionSet</c>).
    /// </summary>
    public int? ActiveNoveltyModelSetId { get; set; }
}

/// <summary>One kind of event in a dataset's vocabulary.</summary>
public class SequenceEventType
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    /// <summary>Dense position 0…V−1: what <see cref="EventSequence.Events"/> stores and models index.</summary>
    public int Index { get; set; }
    /// <summary>The token as it appears in imported files, e.g. an HDFS log key "22".</summary>
    public string Key { get; set; } = "";
    public string DisplayName { get; set; } = "";
    /// <summary>CSS colour (#rrggbb) of the event's cell in sequence strips.</summary>
    public string Color { get; set; } = "#9e9e9e";
}

/// <summary>Which part of a dataset a sequence belongs to: clustering and training read only <see cref="Train"/>.</summary>
public static class SequenceParts
{
    public const string Train = "train";
    public const string Test = "test";
    public static readonly IReadOnlyList<string> All = [Train, Test];
}

/// <summary>One sequence of events (e.g. the log keys of one HDFS block).</summary>
public class EventSequence
{
    public long Id { get; set; }
    public int DatasetId { get; set; }
    /// <summary>A <see cref="SequenceParts"/> key.</summary>
    public string Part { get; set; } = SequenceParts.Train;
    /// <summary>Position in import order within the dataset (1, 2, …).</summary>
    public int Ordinal { get; set; }
    /// <summary>The id the source gave it (CSV/JSONL id, or the line number for one-sequence-per-line files).</summary>
    public string SourceId { get; set; } = "";
    /// <summary>The events in order, as <see cref="SequenceEventType.Index"/> values.</summary>
    public int[] Events { get; set; } = [];
    /// <summary>When each event happened, when the source said so.</summary>
    public DateTime[]? Timestamps { get; set; }
    public int Length { get; set; }
}

public enum KnownLabel
{
    Normal,
    Novel,
}

/// <summary>
/// A label known from the source (normal or novel), kept in its own table: used only to evaluate detectors, never
/// read by clustering or training.
/// </summary>
public class SequenceLabel
{
    public long SequenceId { get; set; }
    public KnownLabel Label { get; set; }
    /// <summary>The file the label came from.</summary>
    public string Source { get; set; } = "";
}
