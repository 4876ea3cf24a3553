namespace WebApp.Domain.Sequences;

/// <summary>
/// An event pattern searched in sequences, written as space-separated tokens: an event (its key, or its display name
/// when no key matches), <c>?</c> for any one event, <c>*</c> for any run of events (none included). The pattern
/// matches a contiguous stretch anywhere in a sequence; <c>^</c> first anchors it to the start, <c>$</c> last to the end.
/// Example: <c>5 22 ? 11</c> finds 5, 22, any event, 11 in a row; <c>^ 22 * 21 $</c> finds sequences from 22 to 21.
/// </summary>
public sealed class SequencePattern
{
    /// <summary>One element: an event index, or a wildcard.</summary>
    public readonly record struct Element(int Event, bool AnyOne, bool AnyRun);

    private SequencePattern(IReadOnlyList<Element> elements, bool anchoredStart, bool anchoredEnd)
    {
        Elements = elements;
        AnchoredStart = anchoredStart;
        AnchoredEnd = anchoredEnd;
    }

    public IReadOnlyList<Element> Elements { get; }
    public bool AnchoredStart { get; }
    public bool AnchoredEnd { get; }

    /// <summary>Parses <paramref name="text"/>; <paramref name="resolveEvent"/> turns a token into an event index (null: unknown).</summary>
    /// <exception cref="FormatException">An empty pattern, an unknown event, or a misplaced anchor, with a message to show.</exception>
    public static SequencePattern Parse(string text, Func<string, int?> resolveEvent)
    {
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
        var anchoredStart = tokens.Count > 0 && tokens[0] == "^";
        if (anchoredStart) tokens.RemoveAt(0);
        var anchoredEnd = tokens.Count > 0 && tokens[^1] == "$";
        if (anchoredEnd) tokens.RemoveAt(tokens.Count - 1);
        if (tokens.Count == 0) throw new FormatException("Type at least one event, ? or *.");
        var elements = new List<Element>(tokens.Count);
        foreach (var token in tokens)
        {
            if (token is "^" or "$") throw new FormatException("^ may only come first and $ only last.");
            if (token == "?") elements.Add(new Element(-1, true, false));
            else if (token == "*")
            {
                // Two runs in a row match what one does.
                if (elements.Count == 0 || !elements[^1].AnyRun) elements.Add(new Element(-1, false, true));
            }
            else elements.Add(new Element(resolveEvent(token) ?? throw new FormatException($"Unknown event '{token}'."), false, false));
        }
        return new SequencePattern(elements, anchoredStart, anchoredEnd);
    }

    /// <summary>The first (leftmost, then shortest) matching stretch, or null.</summary>
    public (int Start, int Length)? Match(IReadOnlyList<int> events)
    {
        var lastStart = AnchoredStart ? 0 : events.Count;
        for (var start = 0; start <= lastStart; start++)
        {
            if (MatchFrom(events, start, 0) is { } end) return (start, end - start);
        }
        return null;
    }

    /// <summary>Where the match of elements[element..] starting at position ends (shortest first), or null.</summary>
    private int? MatchFrom(IReadOnlyList<int> events, int position, int element)
    {
        while (true)
        {
            if (element == Elements.Count) return !AnchoredEnd || position == events.Count ? position : null;
            var current = Elements[element];
            if (current.AnyRun)
            {
                for (var skip = position; skip <= events.Count; skip++)
                {
                    if (MatchFrom(events, skip, element + 1) is { } end) return end;
                }
                return null;
            }
            if (position >= events.Count) return null;
            if (!current.AnyOne && events[position] != current.Event) return null;
            position++;
            element++;
        }
    }
}
