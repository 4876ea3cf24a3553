namespace WebApp.Domain.Sequences.Novelty;

/// <summary>A sequence's STIDE result: how many of its windows normal training never showed, out of how many.</summary>
public sealed record WindowMismatch(int Unseen, int Windows)
{
    /// <summary>The share of unseen windows (0 = every window known): the novelty score that ranks sequences.</summary>
    public double Score => Windows == 0 ? 0 : (double)Unseen / Windows;
}

/// <summary>
/// The STIDE-like baseline (Forrest et al.; window 2 reached F1 0.951 on HDFS in the DeepLog comparison): the set of
/// every window of n consecutive events in the normal training sequences; a sequence is as novel as the share of its
/// windows that are not in the set. Each sequence is framed by a start and an end marker, so a window also records
/// how sessions begin and end (an HDFS session that stops early ends with a window never seen in training). Events
/// unknown to training (index outside the vocabulary, e.g. −1) make every window they are in unseen.
/// </summary>
public sealed class WindowNgramModel
{
    private const int Start = -2;
    private const int End = -3;
    private const int Unknown = -1;

    private readonly HashSet<string> _windows = new(StringComparer.Ordinal);

    private WindowNgramModel(int window) => Window = window;

    public int Window { get; }
    /// <summary>Distinct windows seen in training.</summary>
    public int KnownWindows => _windows.Count;

    public static WindowNgramModel Fit(IEnumerable<IReadOnlyList<int>> normalSequences, int window = 2)
    {
        ArgumentNullException.ThrowIfNull(normalSequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var model = new WindowNgramModel(window);
        foreach (var sequence in normalSequences)
        {
            foreach (var key in model.Windows(sequence)) model._windows.Add(key);
        }
        return model;
    }

    public WindowMismatch Score(IReadOnlyList<int> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        int unseen = 0, windows = 0;
        foreach (var key in Windows(sequence))
        {
            windows++;
            if (key.Contains('?', StringComparison.Ordinal) || !_windows.Contains(key)) unseen++;
        }
        return new WindowMismatch(unseen, windows);
    }

    /// <summary>The framed sequence's windows as keys; a framed sequence shorter than the window is one window.</summary>
    private IEnumerable<string> Windows(IReadOnlyList<int> sequence)
    {
        var framed = new int[sequence.Count + 2];
        framed[0] = Start;
        for (var i = 0; i < sequence.Count; i++) framed[i + 1] = sequence[i] < 0 ? Unknown : sequence[i];
        framed[^1] = End;
        var count = Math.Max(1, framed.Length - Window + 1);
        for (var i = 0; i < count; i++)
        {
            yield return string.Join(' ', framed.Skip(i).Take(Window).Select(e => e switch
            {
                Start => "^",
                End => "$",
                Unknown => "?",
                _ => e.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        }
    }
}
