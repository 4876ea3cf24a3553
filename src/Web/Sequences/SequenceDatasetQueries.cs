using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;

namespace WebApp.Web.Sequences;

/// <summary>A dataset as the list shows it: sequences per part, events, vocabulary and known labels.</summary>
public sealed record SequenceDatasetSummary(
    int Id,
    string Name,
    string Description,
    DateTime CreatedAt,
    string CreatedByName,
    long TrainSequences,
    long TestSequences,
    long Events,
    int VocabularySize,
    long NormalLabels,
    long NovelLabels)
{
    public long Sequences => TrainSequences + TestSequences;
}

/// <summary>Reads for the dataset list and the import page.</summary>
public sealed class SequenceDatasetQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>Every dataset, newest first, in four grouped queries (not one per dataset).</summary>
    public async Task<IReadOnlyList<SequenceDatasetSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var datasets = await db.SequenceDatasets.AsNoTracking().OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).ToListAsync(ct);
        var parts = await db.EventSequences.GroupBy(s => new { s.DatasetId, s.Part })
            .Select(g => new { g.Key.DatasetId, g.Key.Part, Count = g.LongCount(), Events = g.Sum(s => (long)s.Length) }).ToListAsync(ct);
        var vocabularies = await db.SequenceEventTypes.GroupBy(e => e.DatasetId)
            .Select(g => new { DatasetId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.DatasetId, g => g.Count, ct);
        var labels = await (from l in db.SequenceLabels
                            join s in db.EventSequences on l.SequenceId equals s.Id
                            group l by new { s.DatasetId, l.Label } into g
                            select new { g.Key.DatasetId, g.Key.Label, Count = g.LongCount() }).ToListAsync(ct);
        return datasets.Select(d => new SequenceDatasetSummary(d.Id, d.Name, d.Description, d.CreatedAt, d.CreatedByName,
            parts.Where(p => p.DatasetId == d.Id && p.Part == SequenceParts.Train).Sum(p => p.Count),
            parts.Where(p => p.DatasetId == d.Id && p.Part == SequenceParts.Test).Sum(p => p.Count),
            parts.Where(p => p.DatasetId == d.Id).Sum(p => p.Events),
            vocabularies.GetValueOrDefault(d.Id),
            labels.Where(l => l.DatasetId == d.Id && l.Label == KnownLabel.Normal).Sum(l => l.Count),
            labels.Where(l => l.DatasetId == d.Id && l.Label == KnownLabel.Novel).Sum(l => l.Count))).ToList();
    }

    public async Task<IReadOnlyList<(int Id, string Name)>> DatasetNamesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.SequenceDatasets.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        return rows.Select(r => (r.Id, r.Name)).ToList();
    }

    public async Task<int?> DatasetIdAsync(string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SequenceDatasets.Where(d => d.Name == name).Select(d => (int?)d.Id).SingleOrDefaultAsync(ct);
    }

    public async Task<JobRun?> JobRunAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
    }

    /// <summary>What an import run reads, for its line in a job list: "hdfs_train → train (novel)".</summary>
    public static string ImportSubject(JobRun run)
    {
        try
        {
            var parameters = System.Text.Json.JsonSerializer.Deserialize<SequenceImportParameters>(run.Parameters ?? "null", JobJson.Options);
            if (parameters is null) return "";
            var destination = parameters.Format == SequenceImportFormat.Labels ? "labels" : parameters.Part;
            var label = parameters.LabelAll is { } all ? $" ({all.ToString().ToLowerInvariant()})" : "";
            return $"{parameters.FileName} → {destination}{label}";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }

    /// <summary>The latest sequence imports, of every dataset.</summary>
    public async Task<IReadOnlyList<JobRun>> RecentImportsAsync(int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.JobRuns.AsNoTracking().Where(r => r.Kind == JobKinds.SequenceImport)
            .OrderByDescending(r => r.CreatedAt).Take(take).ToListAsync(ct);
    }
}
