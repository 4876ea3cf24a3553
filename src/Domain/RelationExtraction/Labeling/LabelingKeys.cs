namespace WebApp.Domain.RelationExtraction.Labeling;

public enum LabelingActionKind
{
    None,
    /// <summary>Label with the relation at <see cref="LabelingAction.RelationPosition"/> of the non-NA relations.</summary>
    Relation,
    /// <summary>No relation (NA).</summary>
    NoRelation,
    /// <summary>Accept the model's suggestion.</summary>
    Accept,
    Skip,
    Undo,
    ToggleUnsure,
    FocusComment,
    /// <summary>Show or hide the tokens that drove the model's prediction.</summary>
    ToggleWhy,
}

public sealed record LabelingAction(LabelingActionKind Kind, int RelationPosition = -1)
{
    public static readonly LabelingAction None = new(LabelingActionKind.None);
}

/// <summary>
/// The labelling page's keyboard: 1–9 and then letters pick the listed relations (NA excluded), 0 or n = no
/// relation, Enter = accept the model's suggestion, s = skip, u or Ctrl+Z = undo, ? = unsure, c = comment,
/// . = why (every letter but c, n, s and u picks a relation, so the toggle takes a punctuation key).
/// </summary>
public static class LabelingKeys
{
    /// <summary>Shows or hides the "why" view.</summary>
    public const string WhyKey = ".";

    /// <summary>Letters for relations 10 and on: the alphabet without the command letters c, n, s and u.</summary>
    public const string RelationLetters = "abdefghijklmopqrtvwxyz";

    public static int MaxRelations => 9 + RelationLetters.Length;

    /// <summary>The key that picks the relation at <paramref name="position"/> (0-based), or null past the last key.</summary>
    public static string? KeyOf(int position) =>
        position < 0 ? null
        : position < 9 ? ((char)('1' + position)).ToString()
        : position - 9 < RelationLetters.Length ? RelationLetters[position - 9].ToString()
        : null;

    /// <summary>What a key press (a DOM KeyboardEvent.key) does with <paramref name="relationCount"/> relations listed.</summary>
    public static LabelingAction Map(string? key, bool ctrl, int relationCount)
    {
        if (string.IsNullOrEmpty(key)) return LabelingAction.None;
        if (ctrl)
        {
            return key is "z" or "Z" ? new LabelingAction(LabelingActionKind.Undo) : LabelingAction.None;
        }
        switch (key)
        {
            case "Enter": return new LabelingAction(LabelingActionKind.Accept);
            case "?": return new LabelingAction(LabelingActionKind.ToggleUnsure);
            case "0": return new LabelingAction(LabelingActionKind.NoRelation);
            case WhyKey: return new LabelingAction(LabelingActionKind.ToggleWhy);
        }
        if (key.Length != 1) return LabelingAction.None;
        var c = char.ToLowerInvariant(key[0]);
        switch (c)
        {
            case 'n': return new LabelingAction(LabelingActionKind.NoRelation);
            case 's': return new LabelingAction(LabelingActionKind.Skip);
            case 'u': return new LabelingAction(LabelingActionKind.Undo);
            case 'c': return new LabelingAction(LabelingActionKind.FocusComment);
        }
        var position = c is >= '1' and <= '9' ? c - '1' : RelationLetters.IndexOf(c, StringComparison.Ordinal) is var i and >= 0 ? 9 + i : -1;
        return position >= 0 && position < relationCount ? new LabelingAction(LabelingActionKind.Relation, position) : LabelingAction.None;
    }
}
