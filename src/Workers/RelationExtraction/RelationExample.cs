namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// One candidate sentence: tokens, the head and tail spans (token indices, end exclusive, as OpenNRE's
/// <c>pos</c>), the relation index (0 = NA), the entity pair it belongs to, a loss weight and the caller's id.
/// </summary>
public sealed record RelationExample(
    IReadOnlyList<string> Tokens,
    int HeadStart,
    int HeadEnd,
    int TailStart,
    int TailEnd,
    int Label,
    string BagKey,
    float Weight = 1,
    long Id = 0);
