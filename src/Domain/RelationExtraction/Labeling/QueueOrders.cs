namespace WebApp.Domain.RelationExtraction.Labeling;

/// <summary>
/// The uncertainty measures the live labelling queue can order by, most uncertain first; each walks an index of
/// the active model's predictions. (Random and the diverse batch strategy are for the learning-curve simulation:
/// random wastes experts' time, and diversity needs the model's representations, which are not stored.)
/// </summary>
public static class QueueOrders
{
    public const string Margin = "margin";
    public const string LeastConfidence = "least-confidence";
    public const string Entropy = "entropy";

    public static readonly IReadOnlyList<string> All = [Margin, LeastConfidence, Entropy];

    public static string Describe(string order) => order switch
    {
        Margin => "smallest margin between the top two relations",
        LeastConfidence => "lowest top probability",
        Entropy => "highest entropy of the distribution",
        _ => order,
    };

    /// <summary>Labelling settings a project may have: problems in plain words, none when fine.</summary>
    public static IEnumerable<string> Validate(int overlap, string order)
    {
        if (overlap is < 1 or > 10) yield return "Experts per item must be between 1 and 10.";
        if (!All.Contains(order)) yield return $"Unknown queue order '{order}' (known: {string.Join(", ", All)}).";
    }
}
