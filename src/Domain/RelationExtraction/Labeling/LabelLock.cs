namespace WebApp.Domain.RelationExtraction.Labeling;

/// <summary>
/// A short-lived claim of an expert on a candidate, so the queue does not hand it to another expert while they
/// read it (unless the project's overlap asks for more than one expert per item). Expired locks count for nothing.
/// </summary>
public class LabelLock
{
    public int ProjectId { get; set; }
    public long CandidateId { get; set; }
    public string UserId { get; set; } = "";
    public DateTime ExpiresAt { get; set; }

    /// <summary>How long the queue keeps an item for the expert it handed it to.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMinutes(2);
}
