namespace WebApp.Domain.RelationExtraction.Labeling;

/// <summary>
/// The orders the live labelling queue can serve items in, most useful first; each walks an index of the active
/// model's predictions. <see cref="Diverse"/> serves the batch the worker chose when it scored the version (k-center
/// greedy on sentence representations among the smallest margins), then goes on by margin. Random is only for the
/// learning-curve simulation: it wastes experts' time.
/// </summary>
public static class QueueOrders
{
    public const string Margin = "margin";
    public const string LeastConfidence = "least-confidence";
    public const string Entropy = "entropy";
    public const string Diverse = "diverse";

    /// <summary>How many items the worker puts in a version's diverse batch.</summary>
    public const int DiverseBatchSize = 100;

    public static readonly IReadOnlyList<string> All = [Margin, LeastConfidence, Entropy, Diverse];

    public static string Describe(string order) => order switch
    {
        Margin => "smallest margin between the top two relations",
        LeastConfidence => "lowest top probability",
        Entropy => "highest entropy of the distribution",
        Diverse => "small margins unlike each other (diverse batch), then smallest margin",
        _ => order,
    };

    /// <summary>Labelling settings a project may have: problems in plain words, none when fine.</summary>
    public static IEnumerable<string> Validate(int overlap, string order)
    {
        if (overlap is < 1 or > 10) yield return "Experts per item must be between 1 and 10.";
        if (!All.Contains(order)) yield return $"Unknown queue order '{order}' (known: {string.Join(", ", All)}).";
    }
}
