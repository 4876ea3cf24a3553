using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// Reads OpenNRE data sets: <c>train.txt</c>, <c>val.txt</c>, <c>test.txt</c> (one JSON object a line, with
/// <c>token</c> and token spans, or <c>text</c> and character spans) and <c>rel2id.json</c>. The NA relation
/// ("NA", "no_relation" or "Other") becomes index 0 named "NA"; the others keep their rel2id order. An optional
/// <c>"weight"</c> (a non-negative number; 1 when absent) is the example's loss weight, as <c>re export</c> writes
/// for expert labels.
/// </summary>
public static partial class OpenNreFormat
{
    private static readonly string[] NaNames = ["NA", "no_relation", "Other"];

    public static RelationCorpus Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"Data folder '{dir}' does not exist.");
        var train = Path.Combine(dir, "train.txt");
        if (!File.Exists(train)) throw new FileNotFoundException($"'{train}' is missing.", train);
        var relations = ReadRelations(Path.Combine(dir, "rel2id.json"), train);
        var index = relations.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        foreach (var na in NaNames) index[na] = 0;
        return new RelationCorpus(relations,
            ReadExamples(train, index),
            ReadOptional(Path.Combine(dir, "val.txt"), index),
            ReadOptional(Path.Combine(dir, "test.txt"), index));
    }

    private static List<RelationExample> ReadOptional(string path, Dictionary<string, int> index) =>
        File.Exists(path) ? ReadExamples(path, index) : [];

    private static List<string> ReadRelations(string rel2id, string train)
    {
        var names = new List<string>();
        if (File.Exists(rel2id))
        {
            Dictionary<string, int>? map;
            try
            {
                map = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(rel2id));
            }
            catch (JsonException e)
            {
                throw new FormatException($"{rel2id}: not a JSON object of relation name → index ({e.Message}).", e);
            }
            if (map is null || map.Count == 0) throw new FormatException($"{rel2id}: no relations.");
            names.AddRange(map.OrderBy(kv => kv.Value).Select(kv => kv.Key));
        }
        else
        {
            // No rel2id.json: the relations of the training file, in order of first appearance.
            var lineNumber = 0;
            foreach (var line in File.ReadLines(train))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                var relation = ParseLine(line, train, lineNumber).Relation;
                if (!names.Contains(relation)) names.Add(relation);
            }
        }
        names.RemoveAll(n => NaNames.Contains(n, StringComparer.Ordinal));
        names.Insert(0, RelationCorpus.NoRelation);
        return names;
    }

    private static List<RelationExample> ReadExamples(string path, Dictionary<string, int> index)
    {
        var examples = new List<RelationExample>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var parsed = ParseLine(line, path, lineNumber);
            if (!index.TryGetValue(parsed.Relation, out var label))
                throw new FormatException($"{path}:{lineNumber}: relation '{parsed.Relation}' is not in rel2id.json.");
            var example = parsed.Example with { Label = label, Id = examples.Count };
            if (RelationCorpus.Check(example, int.MaxValue) is { } problem)
                throw new FormatException($"{path}:{lineNumber}: {problem}.");
            examples.Add(example);
        }
        return examples;
    }

    private static (RelationExample Example, string Relation) ParseLine(string line, string path, int lineNumber)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var relation = Required(root, "relation").GetString() ?? throw new FormatException("\"relation\" is null");
            var h = Required(root, "h");
            var t = Required(root, "t");
            var (hs, he) = Span(h);
            var (ts, te) = Span(t);
            var key = $"{Id(h)}|{Id(t)}";
            var weight = Weight(root);
            if (root.TryGetProperty("token", out var tokenElement))
            {
                var tokens = tokenElement.EnumerateArray().Select(x => x.GetString() ?? "").ToArray();
                return (new RelationExample(tokens, hs, he, ts, te, 0, key, weight), relation);
            }
            if (root.TryGetProperty("text", out var textElement))
            {
                var text = textElement.GetString() ?? "";
                var (tokens, starts, ends) = Tokenize(text);
                var (ths, the) = ToTokenSpan(starts, ends, hs, he, "h");
                var (tts, tte) = ToTokenSpan(starts, ends, ts, te, "t");
                return (new RelationExample(tokens, ths, the, tts, tte, 0, key, weight), relation);
            }
            throw new FormatException("neither \"token\" nor \"text\"");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"{path}:{lineNumber}: {e.Message}", e);
        }
    }

    private static float Weight(JsonElement root)
    {
        if (!root.TryGetProperty("weight", out var weight) || weight.ValueKind == JsonValueKind.Null) return 1;
        return weight.ValueKind == JsonValueKind.Number && weight.TryGetSingle(out var value) && float.IsFinite(value) && value >= 0
            ? value
            : throw new FormatException($"\"weight\" must be a non-negative number, not {weight.GetRawText()}");
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new FormatException($"no \"{name}\"");

    private static (int Start, int End) Span(JsonElement entity)
    {
        var pos = Required(entity, "pos");
        if (pos.ValueKind != JsonValueKind.Array || pos.GetArrayLength() != 2)
            throw new FormatException("\"pos\" must be [start, end]");
        return (pos[0].GetInt32(), pos[1].GetInt32());
    }

    private static string Id(JsonElement entity) =>
        entity.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null
            ? id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText()
            : Required(entity, "name").GetString() ?? "";

    /// <summary>Words (letters, digits, underscore) and single punctuation marks, with their character spans.</summary>
    public static (string[] Tokens, int[] Starts, int[] Ends) Tokenize(string text)
    {
        var matches = TokenRegex().Matches(text);
        var tokens = new string[matches.Count];
        var starts = new int[matches.Count];
        var ends = new int[matches.Count];
        for (var i = 0; i < matches.Count; i++)
        {
            tokens[i] = matches[i].Value;
            starts[i] = matches[i].Index;
            ends[i] = matches[i].Index + matches[i].Length;
        }
        return (tokens, starts, ends);
    }

    private static (int Start, int End) ToTokenSpan(int[] starts, int[] ends, int charStart, int charEnd, string which)
    {
        int first = -1, last = -1;
        for (var i = 0; i < starts.Length; i++)
        {
            if (ends[i] <= charStart || starts[i] >= charEnd) continue;
            if (first < 0) first = i;
            last = i;
        }
        return first < 0
            ? throw new FormatException($"\"{which}\" character span [{charStart}, {charEnd}) covers no token")
            : (first, last + 1);
    }

    [GeneratedRegex(@"\w+|[^\w\s]")]
    private static partial Regex TokenRegex();
}
