using System.Globalization;

namespace WebApp.Workers.RelationExtraction;

/// <summary>What became of a requested warm start: the parent's weights were used, or why not.</summary>
public sealed record PcnnWarmStartOutcome(bool Applied, string? SkippedBecause, int WordsCarried)
{
    public static PcnnWarmStartOutcome Skipped(string reason) => new(false, reason, 0);
}

/// <summary>
/// Starts a new PCNN from a parent's weights instead of a random initialisation. Every layer but the word
/// embedding is copied as it is, so the networks must have the same shape: same relations in the same order,
/// word and position dimensions, position range, window and filters. The vocabulary may differ (a new run
/// builds it from its own training data): rows of words the parent knew are copied, new words keep their
/// random initialisation.
/// </summary>
public static class PcnnWarmStart
{
    /// <summary>Why <paramref name="parent"/> cannot start a network with these settings, or null when it can.</summary>
    public static string? Incompatibility(PcnnTrainedModel parent, IReadOnlyList<string> relations, PcnnOptions options, int wordDim)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(relations);
        ArgumentNullException.ThrowIfNull(options);
        if (!parent.Relations.SequenceEqual(relations, StringComparer.Ordinal))
        {
            return $"relation set changed ({string.Join(", ", parent.Relations)} → {string.Join(", ", relations)})";
        }
        var was = parent.Options;
        return Changed("word dimension", parent.WordDim, wordDim)
            ?? Changed("position dimension", was.PositionDim, options.PositionDim)
            ?? Changed("position range", was.EffectiveMaxPositionDistance, options.EffectiveMaxPositionDistance)
            ?? Changed("window", was.Window, options.Window)
            ?? Changed("filters", was.Filters, options.Filters);

        static string? Changed(string what, int before, int now) =>
            before == now ? null : string.Create(CultureInfo.InvariantCulture, $"{what} changed ({before} → {now})");
    }

    /// <summary>Copies the parent's weights into <paramref name="target"/>; returns how many vocabulary words it carried over.</summary>
    public static int Apply(PcnnTrainedModel parent, PcnnTrainedModel target)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(target);
        var parentRows = new int[target.Vocabulary.Count];
        var carried = 0;
        for (var id = 0; id < parentRows.Length; id++)
        {
            var word = target.Vocabulary.Words[id];
            // PAD and UNK are rows 0 and 1 in both; any other word the parent lacks maps to its UNK row.
            var row = id < 2 ? id : parent.Vocabulary[word];
            parentRows[id] = id >= 2 && row == Vocabulary.Unknown ? -1 : row;
            if (id >= 2 && parentRows[id] >= 0) carried++;
        }
        target.Model.CopyWeightsFrom(parent.Model, parentRows);
        return carried;
    }
}
