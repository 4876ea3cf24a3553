namespace WebApp.Domain.RelationExtraction.Labeling;

/// <summary>
/// One of the places an item has in the labelling queue: a project's overlap k gives every candidate k places
/// (<see cref="Place"/> 0 … k − 1), and an expert holds one while they read the item (until <see cref="ExpiresAt"/>)
/// and keeps it for good once they labelled it. A unique (candidate, place) lets concurrent experts claim places
/// without a project-wide lock: two claims of the same place cannot both succeed. The expert labels themselves are
/// in <see cref="ExpertLabel"/>; claims are the queue's index of who has which item and are written in the same
/// transactions as the labels.
/// </summary>
public class LabelingClaim
{
    public long CandidateId { get; set; }
    public int Place { get; set; }
    public string UserId { get; set; } = "";
    public int ProjectId { get; set; }
    /// <summary>When a reading claim lapses; an expired claim can be taken over by anyone. Ignored once labelled.</summary>
    public DateTime ExpiresAt { get; set; }
    /// <summary>The holder labelled the item: the place stays taken (an undo turns it back into a reading claim).</summary>
    public bool IsLabelled { get; set; }

    /// <summary>How long the queue keeps an item for the expert it handed it to.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMinutes(2);
}
