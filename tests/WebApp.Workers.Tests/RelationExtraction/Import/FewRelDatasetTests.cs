using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain.RelationExtraction;
using WebApp.Testing;
using Xunit.Abstractions;

namespace WebApp.Workers.Tests.RelationExtraction.Import;

/// <summary>The real FewRel 1.0 validation split (11,200 instances, 16 relations × 700) through the FewRel importer.</summary>
public sealed class FewRelDatasetTests(ITestOutputHelper output) : ImportHarness
{
    private static string? FindValWiki()
    {
        string[] candidates =
        [
            Environment.GetEnvironmentVariable("FEWREL_VAL_WIKI") ?? "",
            Path.Combine(RepositoryPaths.Root, "shared", "data", "fewrel", "val_wiki.json"),
            Path.Combine(RepositoryPaths.Root, "..", "shared", "data", "fewrel", "val_wiki.json"),
            "/work/shared/data/fewrel/val_wiki.json",
        ];
        return candidates.FirstOrDefault(p => p.Length > 0 && File.Exists(p));
    }

    [Fact]
    public async Task Import_of_val_wiki_gives_11200_candidates_with_gold_labels_and_is_timed()
    {
        var path = FindValWiki();
        if (path is null)
        {
            output.WriteLine("val_wiki.json not found (set FEWREL_VAL_WIKI): nothing to import.");
            return;
        }
        var file = await UploadFileAsync(path);
        var id = await QueueAsync(RelationImportFormat.FewRel, file);

        var clock = Stopwatch.StartNew();
        await CreateJob().RunAsync(id, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;

        var run = await RunAsync(id);
        AssertSucceeded(run);
        Assert.Equal(11_200, Metric(run, "lines"));
        await using var db = Db();
        Assert.Equal(11_200, await db.Candidates.CountAsync());
        Assert.Equal(11_200, await db.GoldLabels.CountAsync());
        Assert.Equal(17, await db.RelationTypes.CountAsync(r => r.ProjectId == ProjectId)); // 16 + NA
        Assert.Equal(11_200, await db.Bags.SumAsync(b => b.CandidateCount));
        var statistics = await RelationStatistics.ForProjectAsync(db, ProjectId, CancellationToken.None);
        Assert.All(statistics.Relations.Where(r => !r.IsNa), r => Assert.Equal(700, r.GoldCandidates));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FewRel val_wiki.json: 11,200 instances in {seconds:F2} s = {11_200 / seconds:N0} instances/s; "
            + $"{Metric(run, "sentences")} sentences, {Metric(run, "entities")} entities, {Metric(run, "bags")} bags, "
            + $"{Metric(run, "mentions")} mentions"));
    }
}
