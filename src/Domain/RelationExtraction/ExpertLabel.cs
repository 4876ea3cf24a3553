namespace WebApp.Domain.RelationExtraction;

public enum ExpertLabelKind
{
    /// <summary>The expert says the candidate expresses <see cref="ExpertLabel.RelationTypeId"/> (NA for "no relation").</summary>
    Label,
    /// <summary>Undo: takes back the same expert's previous label of the candidate. History is never rewritten.</summary>
    Retraction,
    /// <summary>A lead expert's or admin's decision on a conflict; it beats every expert label of the candidate.</summary>
    Adjudication,
}

/// <summary>
/// One expert action on a candidate, append-only. A candidate's current label from one expert is that
/// expert's latest record (none when it is a retraction); an adjudication beats them all.
/// </summary>
public class ExpertLabel
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    public long CandidateId { get; set; }
    public ExpertLabelKind Kind { get; set; }
    /// <summary>The relation chosen; null for a retraction.</summary>
    public int? RelationTypeId { get; set; }
    public string UserId { get; set; } = "";
    public string UserName { get; set; } = "";
    public bool IsUnsure { get; set; }
    public string? Comment { get; set; }
    /// <summary>Time from showing the item to the answer.</summary>
    public int DurationMs { get; set; }
    /// <summary>True when a simulated expert (answering from gold) gave it.</summary>
    public bool IsSimulated { get; set; }
    public DateTime CreatedAt { get; set; }
}
