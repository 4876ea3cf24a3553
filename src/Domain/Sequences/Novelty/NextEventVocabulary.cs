namespace WebApp.Domain.Sequences.Novelty;

/// <summary>
/// The tokens of a next-event model over a dataset with <see cref="DatasetEvents"/> event types: the dataset's
/// events 0…V−1, then <see cref="End"/> (V, appended to every sequence and predicted: many novel sequences are
/// novel because they stop early), <see cref="Unknown"/> (V+1, an event the dataset never saw; never trained on,
/// so it is always surprising) and <see cref="Start"/> (V+2, input only).
/// </summary>
/// <remarks>
/// The start token makes the first event predictable too, so a sequence of n events gives n + 1 predictions
/// (events 1…n and the end) rather than the n − 1 of predicting events 2…n: an unusual first event and an early
/// stop both count. Perplexity is the mean over those n + 1 predictions.
/// </remarks>
public sealed record NextEventVocabulary(int DatasetEvents)
{
    public int End => DatasetEvents;
    public int Unknown => DatasetEvents + 1;
    public int Start => DatasetEvents + 2;

    /// <summary>Model tokens (the embedding's rows and the output layer's width).</summary>
    public int Size => DatasetEvents + 3;

    /// <summary>The model token of a dataset event; negative or out-of-range indexes are <see cref="Unknown"/>.</summary>
    public int Token(int datasetEvent) => datasetEvent >= 0 && datasetEvent < DatasetEvents ? datasetEvent : Unknown;

    /// <summary>The model's input: Start, then the events (n + 1 tokens).</summary>
    public int[] Inputs(IReadOnlyList<int> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var inputs = new int[events.Count + 1];
        inputs[0] = Start;
        for (var i = 0; i < events.Count; i++) inputs[i + 1] = Token(events[i]);
        return inputs;
    }

    /// <summary>What the model must predict at each input position: the events, then End (n + 1 tokens).</summary>
    public int[] Targets(IReadOnlyList<int> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var targets = new int[events.Count + 1];
        for (var i = 0; i < events.Count; i++) targets[i] = Token(events[i]);
        targets[^1] = End;
        return targets;
    }
}
