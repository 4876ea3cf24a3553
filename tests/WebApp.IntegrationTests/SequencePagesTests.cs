using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;
using WebApp.Testing;
using WebApp.Web.Sequences;

namespace WebApp.IntegrationTests;

public class SequencePagesTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    /// <summary>A dataset with 2 training sequences (3 and 2 events), 1 test sequence (4 events), 3 event types and 2 labels.</summary>
    private async Task<int> CreateDatasetAsync(string name)
    {
        await using var db = await DbAsync();
        var dataset = new SequenceDataset { Name = name, Description = "for the list", CreatedAt = DateTime.UtcNow, CreatedByName = "tester" };
        db.SequenceDatasets.Add(dataset);
        await db.SaveChangesAsync();
        db.SequenceEventTypes.AddRange(Enumerable.Range(0, 3).Select(i => new SequenceEventType
        {
            DatasetId = dataset.Id,
            Index = i,
            Key = $"k{i}",
            DisplayName = $"k{i}",
            Color = EventPalette.ColorOf(i),
        }));
        var sequences = new[]
        {
            new EventSequence { DatasetId = dataset.Id, Part = SequenceParts.Train, Ordinal = 1, SourceId = "a", Events = [0, 1, 2], Length = 3 },
            new EventSequence { DatasetId = dataset.Id, Part = SequenceParts.Train, Ordinal = 2, SourceId = "b", Events = [1, 1], Length = 2 },
            new EventSequence { DatasetId = dataset.Id, Part = SequenceParts.Test, Ordinal = 3, SourceId = "c", Events = [2, 2, 2, 0], Length = 4 },
        };
        db.EventSequences.AddRange(sequences);
        await db.SaveChangesAsync();
        db.SequenceLabels.AddRange(
            new SequenceLabel { SequenceId = sequences[1].Id, Label = KnownLabel.Normal, Source = "x" },
            new SequenceLabel { SequenceId = sequences[2].Id, Label = KnownLabel.Novel, Source = "x" });
        await db.SaveChangesAsync();
        return dataset.Id;
    }

    [Fact]
    public async Task The_list_counts_sequences_per_part_events_vocabulary_and_labels()
    {
        var id = await CreateDatasetAsync("Listed");

        var summary = (await app.Services.GetRequiredService<SequenceDatasetQueries>().ListAsync()).Single(d => d.Id == id);

        Assert.Equal(("Listed", 2L, 1L, 9L, 3, 1L, 1L), (summary.Name, summary.TrainSequences, summary.TestSequences, summary.Events,
            summary.VocabularySize, summary.NormalLabels, summary.NovelLabels));
    }

    [Fact]
    public async Task A_curator_sees_the_dataset_list_with_links_and_the_import_page()
    {
        var id = await CreateDatasetAsync("Shown");
        var client = await app.ClientAsync("curator@demo.local");

        var list = await client.GetStringAsync("/sequences");
        var import = await client.GetStringAsync($"/sequences/import?dataset={id}");

        Assert.Contains("Shown", list, StringComparison.Ordinal);
        Assert.Contains($"href=\"sequences/{id}\"", list, StringComparison.Ordinal);
        Assert.Contains($"href=\"sequences/import?dataset={id}\"", list, StringComparison.Ordinal);
        Assert.Contains("Import sequences", import, StringComparison.Ordinal);
        Assert.Contains("One sequence per line", import, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_seeder_creates_HDFS_and_chains_three_imports_then_two_clusterings_once()
    {
        var seeder = app.Services.GetRequiredService<SequenceDemoSeeder>();
        var demo = Path.Combine(RepositoryPaths.Root, "demo");

        var datasetId = await seeder.SeedAsync(demo);
        var again = await seeder.SeedAsync(demo);

        Assert.NotNull(datasetId);
        Assert.Null(again);
        await using var db = await DbAsync();
        Assert.Equal(SequenceDemoSeeder.DatasetName, (await db.SequenceDatasets.SingleAsync(d => d.Id == datasetId)).Name);
        Assert.True(await db.AuditRecords.AnyAsync(r => r.Action == SequenceDemoSeeder.DatasetCreatedAction));
        var runs = await db.JobRuns.Where(r => r.Kind == JobKinds.SequenceImport || r.Kind == JobKinds.SequenceClustering)
            .OrderBy(r => r.CreatedAt).ToListAsync();
        Assert.All(runs, r => Assert.NotNull(r.HangfireJobId));
        var imports = runs.Where(r => r.Kind == JobKinds.SequenceImport)
            .Select(r => JsonSerializer.Deserialize<SequenceImportParameters>(r.Parameters!, JobJson.Options)!)
            .Select(p => (p.FileName, p.DatasetId, p.Part, p.LabelAll, p.Format)).ToList();
        Assert.Equal(
            [
                ("hdfs_train", datasetId, SequenceParts.Train, (KnownLabel?)null, SequenceImportFormat.Lines),
                ("hdfs_test_abnormal", datasetId, SequenceParts.Test, KnownLabel.Novel, SequenceImportFormat.Lines),
                ("alt_normal_logrobust.txt", datasetId, SequenceParts.Test, KnownLabel.Normal, SequenceImportFormat.Lines),
            ],
            imports);
        var clusterings = runs.Where(r => r.Kind == JobKinds.SequenceClustering)
            .Select(r => JsonSerializer.Deserialize<SequenceClusteringParameters>(r.Parameters!, JobJson.Options)!).ToList();
        Assert.Equal([ClusteringKinds.Lda, ClusteringKinds.KMeans], clusterings.Select(c => c.Method));
        Assert.All(clusterings, c => Assert.Equal(datasetId, c.DatasetId));
        Assert.Equal(3, await db.UploadedFiles.CountAsync(f => f.UploadedByName == "system:seed"));
    }
}
