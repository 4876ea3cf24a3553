using Microsoft.EntityFrameworkCore;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Testing;

namespace WebApp.EndToEnd;

/// <summary>A curator trains per-cluster models for a saved clustering on the workers, scores a file and opens the most novel sequence.</summary>
public sealed class NoveltyJourneyTests(RunningApp app) : IClassFixture<RunningApp>
{
    [Fact]
    public async Task A_curator_trains_models_for_a_saved_clustering_scores_a_file_and_opens_the_most_novel_sequence()
    {
        int datasetId;
        await using (var db = app.Database.CreateContext())
        {
            datasetId = await SyntheticSequences.LoadHdfsAsync(db, "HDFS novelty journey", tiny: true);
        }
        var page = await app.SignInAsync("curator@demo.local", $"/sequences/{datasetId}");
        string? firstOrdinal;
        try
        {
            await page.ClickAsync("#run-kmeans");
            await page.WaitForSelectorAsync(".job-run-view[data-status='Succeeded']", new() { Timeout = 120_000 });
            int clusteringId, clusters;
            await using (var db = app.Database.CreateContext())
            {
                clusteringId = await db.Clusterings.Where(c => c.DatasetId == datasetId && c.Kind == ClusteringKinds.KMeans).Select(c => c.Id).SingleAsync();
                clusters = await db.Clusters.CountAsync(c => c.ClusteringId == clusteringId && !c.IsOthers);
            }

            await page.GotoAsync($"/sequences/{datasetId}/novelty?clustering={clusteringId}");
            await page.WaitUntilInteractiveAsync();
            await page.WaitForSelectorAsync("#train-models");
            // A small grid and few epochs: the journey checks the flow, the benchmarks the models.
            foreach (var (label, value) in new[] { ("Embedding sizes", "8"), ("Hidden sizes", "16"), ("Epochs at most", "5") })
            {
                await page.GetByLabel(label).FillAsync(value);
                await page.GetByLabel(label).PressAsync("Tab");
            }
            await page.ClickAsync("#train-models");
            // One job per cluster plus the global model, each flipping its row to Ready when its weights are stored (a
            // k-means cluster of one or two sessions is too small to validate: its model fails and the global one takes over).
            await page.WaitForSelectorAsync(".model-set");
            await page.WaitForFunctionAsync(
                $"document.querySelectorAll(\".model-table tr[data-status='Ready'], .model-table tr[data-status='Failed']\").length === {clusters + 1}",
                null, new() { Timeout = 180_000 });
            await page.WaitForSelectorAsync(".model-table tr:not([data-cluster])[data-status='Ready']");
            // The set's evaluation is stored after its last model's run finished: it is pushed to the open page, which
            // shows the evaluation without a reload (it said "Not evaluated" until reloaded).
            await page.WaitForSelectorAsync(".evaluation-table", new() { Timeout = 60_000 });
            Assert.Equal(0, await page.Locator("text=Not evaluated").CountAsync());
            await RunningApp.ScreenshotAsync(page, "novelty-models");

            var setId = int.Parse(await page.GetAttributeAsync(".model-set", "data-model-set") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            var file = Path.Combine(Path.GetTempPath(), $"novelty-journey-{Guid.NewGuid():N}.txt");
            await File.WriteAllLinesAsync(file, File.ReadLines(SequenceTestDataFile("hdfs_test_abnormal")).Take(30)
                .Concat(File.ReadLines(SequenceTestDataFile("alt_normal_logrobust.txt")).Take(30)));
            await page.Locator($"#score-file-{setId}").SetInputFilesWhenReadyAsync(file);
            await page.WaitForSelectorAsync("[data-testid='uploaded-file']");
            await page.ClickAsync(".score-file");
            await page.WaitForSelectorAsync(".scoring-runs a", new() { Timeout = 120_000 });
            await page.ClickAsync(".scoring-runs a");
            await page.WaitForSelectorAsync("#scores tr[data-ordinal]");
            await RunningApp.ScreenshotAsync(page, "novelty-scores");

            // The first row is the most novel: its view shows the surprise of each event, the cluster and why.
            firstOrdinal = await page.GetAttributeAsync("#scores tr[data-ordinal]", "data-ordinal");
            await page.ClickAsync("#scores tr[data-ordinal] .score-link");
            await page.WaitForSelectorAsync("#assignment");
            Assert.Contains("Went to", await page.InnerTextAsync("#assignment"), StringComparison.Ordinal);
            await page.WaitForSelectorAsync("#surprising-events tbody tr");
            await RunningApp.ScreenshotAsync(page, "novelty-sequence");
            File.Delete(file);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{await page.InnerTextAsync("body")}\n{app.Logs}", e);
        }

        await using var check = app.Database.CreateContext();
        var run = await check.ScoringRuns.SingleAsync(r => check.NoveltyModelSets.Any(s => s.Id == r.ModelSetId && s.DatasetId == datasetId));
        Assert.Equal(60, run.SequenceCount);
        var top = await check.SequenceScores.Where(s => s.ScoringRunId == run.Id).OrderByDescending(s => s.IsNovel).ThenByDescending(s => s.Perplexity).FirstAsync();
        Assert.Equal(top.Ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture), firstOrdinal);
        Assert.Equal(NoveltyModelStatus.Ready, (await check.NoveltyModels.SingleAsync(m => m.ModelSetId == run.ModelSetId && m.ClusterId == null)).Status);
    }

    private static string SequenceTestDataFile(string name) => Path.Combine(SyntheticSequences.HdfsFolder, "tiny", name);
}
