namespace WebApp.Domain.Sequences;

/// <summary>
/// The fixed categorical colours of event types, by vocabulary index, so an event keeps its colour across imports and
/// pages. The first 20 are distinct (Tableau 20); larger vocabularies cycle through them.
/// </summary>
public static class EventPalette
{
    public static readonly IReadOnlyList<string> Colors =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
    ];

    public static string ColorOf(int index) => Colors[index % Colors.Count];
}
