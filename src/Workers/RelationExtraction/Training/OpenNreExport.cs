using System.Text.Json;
using WebApp.Domain;

namespace WebApp.Workers.RelationExtraction.Training;

/// <summary>
/// Writes a project's training data, exactly as the training job sees it (distant labels, NA sampled with the
/// same seed, same order), as an OpenNRE folder: <c>re train --data DIR</c> on it reproduces a model version's
/// held-out metrics outside the application. Gold labels of the test split go to <c>test-gold.txt</c>.
/// </summary>
public static class OpenNreExport
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<RelationTrainingData> WriteAsync(AppDbContext db, int projectId, double naSamplingRatio, int seed,
        string directory, CancellationToken ct)
    {
        var data = await RelationTrainingData.LoadAsync(db, projectId, naSamplingRatio, seed, ct);
        Directory.CreateDirectory(directory);
        var relations = data.Corpus.Relations;
        await File.WriteAllTextAsync(Path.Combine(directory, "rel2id.json"),
            JsonSerializer.Serialize(relations.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i), Json), ct);
        await WriteLinesAsync(Path.Combine(directory, "train.txt"), data.Corpus.Train, relations, ct);
        await WriteLinesAsync(Path.Combine(directory, "val.txt"), data.Corpus.Dev, relations, ct);
        await WriteLinesAsync(Path.Combine(directory, "test.txt"), data.Corpus.Test, relations, ct);
        var gold = data.AllCandidates.Where(c => data.TestGold.ContainsKey(c.Id)).Select(c => c with { Label = data.TestGold[c.Id] }).ToList();
        await WriteLinesAsync(Path.Combine(directory, "test-gold.txt"), gold, relations, ct);
        return data;
    }

    private static async Task WriteLinesAsync(string path, IEnumerable<RelationExample> examples, IReadOnlyList<string> relations,
        CancellationToken ct)
    {
        await using var writer = new StreamWriter(path);
        foreach (var e in examples)
        {
            var ids = e.BagKey.Split('|');
            await writer.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["id"] = e.Id,
                ["token"] = e.Tokens,
                ["h"] = new { name = string.Join(' ', e.Tokens.Skip(e.HeadStart).Take(e.HeadEnd - e.HeadStart)), id = ids[0], pos = new[] { e.HeadStart, e.HeadEnd } },
                ["t"] = new { name = string.Join(' ', e.Tokens.Skip(e.TailStart).Take(e.TailEnd - e.TailStart)), id = ids[1], pos = new[] { e.TailStart, e.TailEnd } },
                ["relation"] = relations[e.Label],
            }, Json).AsMemory(), ct);
        }
    }
}
