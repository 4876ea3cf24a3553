using System.Globalization;

namespace WebApp.Workers.RelationExtraction;

/// <summary>Pre-trained word vectors read from the word2vec text format ("count dim", then "word v1 … vdim").</summary>
public sealed class WordVectors
{
    private WordVectors(Dictionary<string, float[]> vectors, List<string> order, int dim)
    {
        Vectors = vectors;
        Words = order;
        Dim = dim;
    }

    public int Dim { get; }

    /// <summary>Words in file order (lowercased; the first occurrence wins).</summary>
    public IReadOnlyList<string> Words { get; }

    public IReadOnlyDictionary<string, float[]> Vectors { get; }

    public static WordVectors Load(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    public static WordVectors Read(TextReader reader, string name)
    {
        var header = reader.ReadLine() ?? throw new FormatException($"{name}:1: empty file, expected \"count dim\".");
        var parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var dim) || dim < 1)
            throw new FormatException($"{name}:1: expected \"count dim\", got \"{Shorten(header)}\".");
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var order = new List<string>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != dim + 1)
                throw new FormatException($"{name}:{lineNumber}: expected a word and {dim} numbers, got {fields.Length} fields.");
            var vector = new float[dim];
            for (var i = 0; i < dim; i++)
            {
                if (!float.TryParse(fields[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out vector[i]))
                    throw new FormatException($"{name}:{lineNumber}: \"{Shorten(fields[i + 1])}\" is not a number.");
            }
            var word = fields[0].ToLowerInvariant();
            if (vectors.TryAdd(word, vector)) order.Add(word);
        }
        return new WordVectors(vectors, order, dim);
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
