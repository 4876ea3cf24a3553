namespace WebApp.Domain.RelationExtraction.Text;

/// <summary>A mention found by dictionary matching: tokens [Start, End) name the entity.</summary>
public readonly record struct DictionaryMatch(int Start, int End, long EntityId);

/// <summary>
/// Dictionary matching of entity names and aliases: a trie over lower-cased token sequences (tokenised with
/// <see cref="Tokenizer"/>, so matches respect token boundaries: "Paris" never matches inside "Parisian").
/// Case-insensitive, multi-token, leftmost-longest, no overlapping mentions. When two entities share a name,
/// the one added first keeps it.
/// </summary>
public sealed class EntityNameMatcher
{
    private readonly Node _root = new();

    /// <summary>How many distinct names the dictionary holds.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a name; false when it has no tokens or already belongs to an entity.</summary>
    public bool Add(string name, long entityId)
    {
        var tokens = Tokenizer.Tokenize(name);
        if (tokens.Count == 0) return false;
        var node = _root;
        foreach (var token in tokens)
        {
            var key = token.Text.ToLowerInvariant();
            node.Children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            if (!node.Children.TryGetValue(key, out var child))
            {
                child = new Node();
                node.Children[key] = child;
            }
            node = child;
        }
        if (node.EntityId is not null) return false;
        node.EntityId = entityId;
        Count++;
        return true;
    }

    /// <summary>Finds mentions in a tokenised sentence, leftmost-longest, never overlapping.</summary>
    public List<DictionaryMatch> Match(IReadOnlyList<string> tokens)
    {
        var matches = new List<DictionaryMatch>();
        var lower = new string[tokens.Count];
        for (var i = 0; i < tokens.Count; i++) lower[i] = tokens[i].ToLowerInvariant();
        var start = 0;
        while (start < lower.Length)
        {
            var node = _root;
            var bestEnd = -1;
            long bestEntity = 0;
            for (var i = start; i < lower.Length; i++)
            {
                if (node.Children is null || !node.Children.TryGetValue(lower[i], out var child)) break;
                node = child;
                if (node.EntityId is { } entity)
                {
                    bestEnd = i + 1;
                    bestEntity = entity;
                }
            }
            if (bestEnd > 0)
            {
                matches.Add(new DictionaryMatch(start, bestEnd, bestEntity));
                start = bestEnd;
            }
            else
            {
                start++;
            }
        }
        return matches;
    }

    private sealed class Node
    {
        public Dictionary<string, Node>? Children;
        public long? EntityId;
    }
}
