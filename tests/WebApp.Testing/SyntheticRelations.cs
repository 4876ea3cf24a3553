using System.Text.Json;

namespace WebApp.Testing;

/// <summary>
/// A small relation-extraction dataset a PCNN learns in a few epochs: the words between the entities tell the
/// relation ("was born in" → born_in, "works for" → works_for, "met" → no fact, NA). Written as the files a
/// user would import: a knowledge base (kb.tsv) and OpenNRE sentences (sentences.jsonl, gold in "relation").
/// </summary>
public static class SyntheticRelations
{
    private static readonly (string Relation, string[] Words)[] Patterns =
    [
        ("born_in", ["was", "born", "in"]), ("works_for", ["works", "for"]), ("NA", ["met"]),
    ];

    public static void WriteFiles(string directory, int pairs = 90)
    {
        Directory.CreateDirectory(directory);
        using var kb = new StreamWriter(Path.Combine(directory, "kb.tsv"));
        using var sentences = new StreamWriter(Path.Combine(directory, "sentences.jsonl"));
        kb.WriteLine("head_id\thead_name\trelation\ttail_id\ttail_name");
        for (var pair = 0; pair < pairs; pair++)
        {
            var (relation, words) = Patterns[pair % Patterns.Length];
            var (head, tail) = ($"person{pair}", $"thing{pair}");
            if (relation != "NA") kb.WriteLine($"H{pair}\t{head}\t{relation}\tT{pair}\t{tail}");
            foreach (var prefix in new[] { new[] { "Yesterday", "," }, new[] { "We", "heard", "that" } })
            {
                string[] tokens = [.. prefix, head, .. words, tail, "."];
                var headStart = prefix.Length;
                var tailStart = headStart + 1 + words.Length;
                sentences.WriteLine(JsonSerializer.Serialize(new
                {
                    token = tokens,
                    h = new { name = head, id = $"H{pair}", pos = new[] { headStart, headStart + 1 } },
                    t = new { name = tail, id = $"T{pair}", pos = new[] { tailStart, tailStart + 1 } },
                    relation,
                }));
            }
        }
    }
}
