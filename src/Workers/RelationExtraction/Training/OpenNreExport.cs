using System.Text.Json;
using WebApp.Domain;

namespace WebApp.Workers.RelationExtraction.Training;

/// <summary>
/// Writes a project's training data, exactly as the training job sees it (distant labels, NA sampled with the
/// same seed, same order), as an OpenNRE folder: <c>re train --data DIR</c> on it reproduces a model version's
/// held-out metrics outside the application. Gold labels of the test split go to <c>test-gold.txt</c>. Each line
/// carries its loss weight (<c>"weight"</c>, which <see cref="OpenNreFormat"/> reads back) and, where an expert's label
/// replaced the distant ones, <c>"expert": true</c>; OpenNRE itself ignores both.
/// </summary>
public static class OpenNreExport
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<RelationTrainingData> WriteAsync(AppDbContext db, int projectId, double naSamplingRatio, int seed,
        double expertLabelWeight, string directory, CancellationToken ct)
    {
        var data = await RelationTrainingData.LoadAsync(db, projectId, naSamplingRatio, seed, expertLabelWeight, ct);
        Directory.CreateDirectory(directory);
        var relations = data.Corpus.Relations;
        await File.WriteAllTextAsync(Path.Combine(directory, "rel2id.json"),
            JsonSerializer.Serialize(relations.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i), Json), ct);
        await WriteLinesAsync(Path.Combine(directory, "train.txt"), data.Corpus.Train, relations, data.ExpertLabelled, ct);
        await WriteLinesAsync(Path.Combine(directory, "val.txt"), data.Corpus.Dev, relations, data.ExpertLabelled, ct);
        await WriteLinesAsync(Path.Combine(directory, "test.txt"), data.Corpus.Test, relations, new HashSet<long>(), ct);
        var gold = data.AllCandidates.Where(c => data.TestGold.ContainsKey(c.Id)).Select(c => c with { Label = data.TestGold[c.Id] }).ToList();
        await WriteLinesAsync(Path.Combine(directory, "test-gold.txt"), gold, relations, new HashSet<long>(), ct);
        return data;
    }

    private static async Task WriteLinesAsync(string path, IEnumerable<RelationExample> examples, IReadOnlyList<string> relations,
        IReadOnlySet<long> expertLabelled, CancellationToken ct)
    {
        await using var writer = new StreamWriter(path);
        foreach (var e in examples)
        {
            var ids = e.BagKey.Split('|');
            var line = new Dictionary<string, object>
            {
                ["id"] = e.Id,
                ["token"] = e.Tokens,
                ["h"] = new { name = string.Join(' ', e.Tokens.Skip(e.HeadStart).Take(e.HeadEnd - e.HeadStart)), id = ids[0], pos = new[] { e.HeadStart, e.HeadEnd } },
                ["t"] = new { name = string.Join(' ', e.Tokens.Skip(e.TailStart).Take(e.TailEnd - e.TailStart)), id = ids[1], pos = new[] { e.TailStart, e.TailEnd } },
                ["relation"] = relations[e.Label],
                ["weight"] = e.Weight,
            };
            if (expertLabelled.Contains(e.Id)) line["expert"] = true;
            await writer.WriteLineAsync(JsonSerializer.Serialize(line, Json).AsMemory(), ct);
        }
    }
}
