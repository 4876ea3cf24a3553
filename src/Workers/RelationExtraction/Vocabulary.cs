namespace WebApp.Workers.RelationExtraction;

/// <summary>Lowercased word → id, with <see cref="Pad"/> = 0 and <see cref="Unknown"/> = 1.</summary>
public sealed class Vocabulary
{
    public const int Pad = 0;
    public const int Unknown = 1;
    public const string PadToken = "<pad>";
    public const string UnknownToken = "<unk>";

    private readonly Dictionary<string, int> _ids;
    private readonly List<string> _words;

    public Vocabulary(IEnumerable<string> words)
    {
        _words = [PadToken, UnknownToken];
        _ids = new Dictionary<string, int>(StringComparer.Ordinal) { [PadToken] = Pad, [UnknownToken] = Unknown };
        foreach (var word in words)
        {
            var key = word.ToLowerInvariant();
            if (_ids.TryAdd(key, _words.Count)) _words.Add(key);
        }
    }

    /// <summary>Every word, by id (0 and 1 are PAD and UNK).</summary>
    public IReadOnlyList<string> Words => _words;

    public int Count => _words.Count;

    public int this[string word] => _ids.TryGetValue(word.ToLowerInvariant(), out var id) ? id : Unknown;

    /// <summary>
    /// Training words seen at least <paramref name="minCount"/> times, most frequent first (ties: first seen),
    /// then words that only the vectors know, in their file order, up to <paramref name="maxSize"/> entries.
    /// </summary>
    public static Vocabulary Build(IEnumerable<RelationExample> training, int minCount, int maxSize, WordVectors? vectors = null)
    {
        var counts = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
        foreach (var example in training)
        {
            foreach (var token in example.Tokens)
            {
                var key = token.ToLowerInvariant();
                counts[key] = counts.TryGetValue(key, out var c) ? (c.Count + 1, c.First) : (1, counts.Count);
            }
        }
        var words = counts
            .Where(kv => kv.Value.Count >= minCount || (vectors?.Vectors.ContainsKey(kv.Key) ?? false))
            .OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Value.First)
            .Select(kv => kv.Key);
        if (vectors is not null) words = words.Concat(vectors.Words);
        return new Vocabulary(words.Distinct(StringComparer.Ordinal).Take(Math.Max(0, maxSize - 2)));
    }
}
