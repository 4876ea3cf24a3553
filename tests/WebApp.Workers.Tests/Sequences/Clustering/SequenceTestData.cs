using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Sequences;
using WebApp.Testing;

namespace WebApp.Workers.Tests.Sequences.Clustering;

/// <summary>Datasets for the clustering tests, written straight through EF (the importers are tested on their own).</summary>
public static class SequenceTestData
{
    /// <summary>The HDFS tiny fixture (first 300 training sessions): shipped in the repository's demo data or in shared/.</summary>
    public static string TinyFile(string name)
    {
        string[] candidates =
        [
            Path.Combine(RepositoryPaths.Root, "demo", "sequences", "hdfs", "tiny", name),
            Path.Combine(RepositoryPaths.Root, "..", "shared", "data", "hdfs", "tiny", name),
            Path.Combine(RepositoryPaths.Root, "shared", "data", "hdfs", "tiny", name),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"The HDFS tiny fixture {name} was not found in: {string.Join(", ", candidates)}");
    }

    public static async Task<int> CreateDatasetAsync(AppDbContext db, string name)
    {
        var dataset = new SequenceDataset { Name = name, CreatedAt = DateTime.UtcNow, CreatedByName = "test" };
        db.SequenceDatasets.Add(dataset);
        await db.SaveChangesAsync();
        return dataset.Id;
    }

    /// <summary>Adds one sequence per non-empty line (space-separated event keys) to a part of the dataset, growing its vocabulary.</summary>
    public static async Task AddLinesAsync(AppDbContext db, int datasetId, IEnumerable<string> lines, string part)
    {
        var vocabulary = await db.SequenceEventTypes.Where(e => e.DatasetId == datasetId).ToDictionaryAsync(e => e.Key, e => e.Index);
        var ordinal = await db.EventSequences.Where(s => s.DatasetId == datasetId && s.Part == part).MaxAsync(s => (int?)s.Ordinal) ?? 0;
        var lineNumber = 0;
        foreach (var line in lines)
        {
            lineNumber++;
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0) continue;
            var events = new int[tokens.Length];
            for (var i = 0; i < tokens.Length; i++)
            {
                if (!vocabulary.TryGetValue(tokens[i], out var index))
                {
                    vocabulary[tokens[i]] = index = vocabulary.Count;
                    db.SequenceEventTypes.Add(new SequenceEventType { DatasetId = datasetId, Index = index, Key = tokens[i], DisplayName = tokens[i] });
                }
                events[i] = index;
            }
            db.EventSequences.Add(new EventSequence
            {
                DatasetId = datasetId,
                Part = part,
                Ordinal = ++ordinal,
                SourceId = lineNumber.ToString(CultureInfo.InvariantCulture),
                Events = events,
                Length = events.Length,
            });
        }
        await db.SaveChangesAsync();
    }
}
