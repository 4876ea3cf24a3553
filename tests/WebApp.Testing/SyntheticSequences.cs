using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebApp.Domain;
using WebApp.Domain.Sequences;

namespace WebApp.Testing;

/// <summary>
/// Sequence datasets and LDA-like topic ensembles written straight into the database, for tests and benchmarks of the
/// workbench (the real importer and LDA job live in the workers). The ensemble is deterministic: in the model with k
/// topics, topic t puts most weight on the events e with e mod k = t, and a sequence's mixture is its event counts
/// folded through those weights and normalised — plausible, and easy to reason about.
/// </summary>
public static class SyntheticSequences
{
    /// <summary>The HDFS split shipped with the repository's demo data.</summary>
    public static string HdfsFolder
    {
        get
        {
            var folder = Path.Combine(RepositoryPaths.Root, "demo", "sequences", "hdfs");
            return File.Exists(Path.Combine(folder, "hdfs_train"))
                ? Path.GetFullPath(folder)
                : throw new FileNotFoundException($"The HDFS demo data ({folder}/hdfs_train) is missing.");
        }
    }

    public static IReadOnlyList<int[]> ReadLines(string path, IDictionary<string, int> vocabulary) =>
        File.ReadLines(path).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(token =>
            {
                if (!vocabulary.TryGetValue(token, out var index)) vocabulary[token] = index = vocabulary.Count;
                return index;
            }).ToArray()).ToList();

    /// <summary>A dataset of the given training sequences; event i has key <paramref name="keys"/>[i]. Returns its id.</summary>
    public static async Task<int> CreateDatasetAsync(AppDbContext db, string name, IReadOnlyList<string> keys, IReadOnlyList<int[]> sequences)
    {
        var dataset = new SequenceDataset { Name = name, CreatedAt = DateTime.UtcNow, CreatedByName = "test" };
        db.SequenceDatasets.Add(dataset);
        await db.SaveChangesAsync();
        string[] palette = ["#e53935", "#1e88e5", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#fdd835", "#6d4c41", "#3949ab", "#c0ca33"];
        db.SequenceEventTypes.AddRange(keys.Select((key, i) => new SequenceEventType
        {
            DatasetId = dataset.Id,
            Index = i,
            Key = key,
            DisplayName = $"E{key}",
            Color = palette[i % palette.Length],
        }));
        await db.SaveChangesAsync();
        await db.Database.OpenConnectionAsync();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var import = await connection.BeginBinaryImportAsync(
            "COPY \"EventSequences\" (\"DatasetId\", \"Part\", \"Ordinal\", \"SourceId\", \"Events\", \"Length\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < sequences.Count; i++)
            {
                await import.StartRowAsync();
                await import.WriteAsync(dataset.Id);
                await import.WriteAsync(SequenceParts.Train);
                await import.WriteAsync(i + 1);
                await import.WriteAsync((i + 1).ToString(CultureInfo.InvariantCulture));
                await import.WriteAsync(sequences[i]);
                await import.WriteAsync(sequences[i].Length);
            }
            await import.CompleteAsync();
        }
        await db.Database.CloseConnectionAsync();
        return dataset.Id;
    }

    /// <summary>The HDFS training file (or the tiny fixture) as a dataset.</summary>
    public static async Task<int> LoadHdfsAsync(AppDbContext db, string name, bool tiny)
    {
        var vocabulary = new Dictionary<string, int>();
        var sequences = ReadLines(Path.Combine(HdfsFolder, tiny ? "tiny" : "", "hdfs_train"), vocabulary);
        return await CreateDatasetAsync(db, name, vocabulary.OrderBy(v => v.Value).Select(v => v.Key).ToList(), sequences);
    }

    /// <summary>An ensemble with one model per k in <paramref name="topicCounts"/>, every training sequence's mixture included.</summary>
    public static async Task<Guid> CreateEnsembleAsync(AppDbContext db, int datasetId, IReadOnlyList<int> topicCounts)
    {
        var vocabularySize = await db.SequenceEventTypes.CountAsync(e => e.DatasetId == datasetId);
        var sequences = await db.EventSequences.Where(s => s.DatasetId == datasetId && s.Part == SequenceParts.Train)
            .Select(s => new { s.Id, s.Events }).ToListAsync();
        return await CreateEnsembleAsync(db, datasetId, topicCounts.ToDictionary(k => k, k => TopicWeights(k, vocabularySize)),
            (k, weights) => sequences.ToDictionary(s => s.Id, s => Mixture(s.Events, weights)));
    }

    /// <summary>An ensemble with the given topics (per k, per topic, event weights) and mixtures (per k, per sequence id).</summary>
    public static async Task<Guid> CreateEnsembleAsync(AppDbContext db, int datasetId, IReadOnlyDictionary<int, float[][]> topics,
        Func<int, float[][], IReadOnlyDictionary<long, float[]>> mixtures)
    {
        var runId = Guid.NewGuid();
        foreach (var (k, weights) in topics.OrderBy(t => t.Key))
        {
            var model = new TopicModel { DatasetId = datasetId, EnsembleRunId = runId, TopicCount = k, CreatedAt = DateTime.UtcNow };
            db.TopicModels.Add(model);
            await db.SaveChangesAsync();
            db.Topics.AddRange(weights.Select((w, t) => new Topic { TopicModelId = model.Id, Index = t, EventWeights = w }));
            db.SequenceTopicMixtures.AddRange(mixtures(k, weights).Select(m => new SequenceTopicMixture
            {
                TopicModelId = model.Id,
                SequenceId = m.Key,
                Weights = m.Value,
            }));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        return runId;
    }

    public static float[][] TopicWeights(int k, int vocabularySize) => Enumerable.Range(0, k).Select(t =>
    {
        var weights = Enumerable.Range(0, vocabularySize).Select(e => e % k == t ? 10f : 1f).ToArray();
        var sum = weights.Sum();
        return weights.Select(w => w / sum).ToArray();
    }).ToArray();

    public static float[] Mixture(int[] events, float[][] topicWeights)
    {
        var mixture = topicWeights.Select(w => events.Sum(e => e < w.Length ? w[e] : 0) + 1e-3f).ToArray();
        var sum = mixture.Sum();
        return mixture.Select(m => m / sum).ToArray();
    }
}
