using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;
using WebApp.Web.Sequences.Novelty;

namespace WebApp.IntegrationTests;

public class NoveltyPagesTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly AuditActor Curator = new(null, "curator@test");

    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    /// <summary>A dataset with a saved clustering of two clusters and Others, and a draft.</summary>
    private async Task<(int DatasetId, int SavedId, int DraftId, int[] ClusterIds)> CreateClusteredDatasetAsync(string name)
    {
        await using var db = await DbAsync();
        var dataset = new SequenceDataset { Name = name, CreatedAt = DateTime.UtcNow, CreatedByName = "tester" };
        db.SequenceDatasets.Add(dataset);
        await db.SaveChangesAsync();
        var saved = new Clustering { DatasetId = dataset.Id, Name = "curated v1", Status = ClusteringStatus.Saved, Version = 1, CreatedAt = DateTime.UtcNow };
        var draft = new Clustering { DatasetId = dataset.Id, Name = "draft", Status = ClusteringStatus.Draft, CreatedAt = DateTime.UtcNow };
        db.Clusterings.AddRange(saved, draft);
        await db.SaveChangesAsync();
        var clusters = new[]
        {
            new Cluster { ClusteringId = saved.Id, Index = 0, Name = "reads" },
            new Cluster { ClusteringId = saved.Id, Index = 1, Name = "writes" },
            new Cluster { ClusteringId = saved.Id, Index = 2, Name = "Others", IsOthers = true },
        };
        db.Clusters.AddRange(clusters);
        await db.SaveChangesAsync();
        return (dataset.Id, saved.Id, draft.Id, [clusters[0].Id, clusters[1].Id]);
    }

    [Fact]
    public async Task Training_a_saved_clustering_queues_one_job_per_cluster_but_Others_plus_the_global_model()
    {
        var (datasetId, savedId, _, clusterIds) = await CreateClusteredDatasetAsync("Per cluster");
        var launcher = app.Services.GetRequiredService<NoveltyJobLauncher>();

        var launch = await launcher.TrainAsync(new NoveltyModelSetRequest(datasetId, savedId, NoveltyTrainingSettings.Defaults(), 0.02),
            JobQueues.Default, Curator);

        Assert.Empty(launch.Errors);
        Assert.Equal(3, launch.JobRunIds.Count);
        await using var db = await DbAsync();
        var set = await db.NoveltyModelSets.SingleAsync(s => s.Id == launch.ModelSetId);
        Assert.Equal((datasetId, (int?)savedId, 0.02), (set.DatasetId, set.ClusteringId, set.TargetFalsePositiveRate));
        var runs = await db.JobRuns.Where(r => launch.JobRunIds.Contains(r.Id)).ToListAsync();
        Assert.All(runs, r => Assert.Equal((JobKinds.NoveltyTraining, true), (r.Kind, r.HangfireJobId is not null)));
        var targets = runs.Select(r => JsonSerializer.Deserialize<NoveltyTrainingParameters>(r.Parameters!, JobJson.Options)!)
            .Select(p => (p.ModelSetId, p.ClusterId)).OrderBy(t => t.ClusterId ?? int.MaxValue).ToList();
        Assert.Equal([(set.Id, clusterIds[0]), (set.Id, clusterIds[1]), (set.Id, (int?)null)], targets);
        Assert.True(await db.AuditRecords.AnyAsync(r => r.Action == NoveltyJobLauncher.CreatedAuditAction && r.EntityId == set.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_draft_an_unknown_clustering_or_bad_settings_are_refused_with_a_reason()
    {
        var (datasetId, savedId, draftId, _) = await CreateClusteredDatasetAsync("Refusals");
        var launcher = app.Services.GetRequiredService<NoveltyJobLauncher>();

        var draft = await launcher.TrainAsync(new NoveltyModelSetRequest(datasetId, draftId, NoveltyTrainingSettings.Defaults()), JobQueues.Default, Curator);
        var foreign = await launcher.TrainAsync(new NoveltyModelSetRequest(datasetId + 1000, savedId, NoveltyTrainingSettings.Defaults()), JobQueues.Default, Curator);
        var settings = await launcher.TrainAsync(new NoveltyModelSetRequest(datasetId, savedId,
            NoveltyTrainingSettings.Defaults() with { HiddenSizes = [4096] }, 0.7), JobQueues.Default, Curator);

        Assert.Contains("saved clustering", Assert.Single(draft.Errors), StringComparison.Ordinal);
        Assert.Contains("no sequence dataset", Assert.Single(foreign.Errors), StringComparison.Ordinal);
        Assert.Equal(2, settings.Errors.Count);
        Assert.Null(settings.ModelSetId);
    }

    [Fact]
    public async Task Saving_a_target_rate_sets_the_threshold_to_that_percentile_of_validation_scores_with_an_audit_record()
    {
        var (datasetId, _, _, _) = await CreateClusteredDatasetAsync("Thresholds");
        int modelId;
        await using (var db = await DbAsync())
        {
            var set = new NoveltyModelSet { DatasetId = datasetId, Name = "global", CreatedAt = DateTime.UtcNow };
            db.NoveltyModelSets.Add(set);
            await db.SaveChangesAsync();
            var model = new NoveltyModel
            {
                ModelSetId = set.Id,
                Status = NoveltyModelStatus.Ready,
                CreatedAt = DateTime.UtcNow,
                Threshold = 10,
                ValidationScores = [.. Enumerable.Range(1, 100).Select(i => (float)i)],
            };
            db.NoveltyModels.Add(model);
            await db.SaveChangesAsync();
            modelId = model.Id;
        }
        var queries = app.Services.GetRequiredService<NoveltyQueries>();

        var error = await queries.SetThresholdAsync(modelId, 0.05, Curator);
        var refused = await queries.SetThresholdAsync(modelId, 0.9, Curator);

        Assert.Null(error);
        Assert.NotNull(refused);
        await using var check = await DbAsync();
        var stored = await check.NoveltyModels.SingleAsync(m => m.Id == modelId);
        Assert.Equal(95, stored.Threshold);
        Assert.Equal(0.05, NoveltyMath.FalsePositiveRate(stored.ValidationScores, stored.Threshold!.Value));
        Assert.True(await check.AuditRecords.AnyAsync(r => r.Action == NoveltyQueries.ThresholdAuditAction && r.EntityId == modelId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_page_lists_saved_clusterings_and_each_sets_models()
    {
        var (datasetId, savedId, _, _) = await CreateClusteredDatasetAsync("Shown models");
        await app.Services.GetRequiredService<NoveltyJobLauncher>()
            .TrainAsync(new NoveltyModelSetRequest(datasetId, savedId, NoveltyTrainingSettings.Defaults()), JobQueues.Default, Curator);
        var client = await app.ClientAsync("curator@demo.local");

        var page = await client.GetStringAsync($"/sequences/{datasetId}/novelty");

        Assert.Contains("Novelty models", page, StringComparison.Ordinal);
        Assert.Contains("LSTMs for curated v1", page, StringComparison.Ordinal);
        Assert.Contains("reads", page, StringComparison.Ordinal);
        Assert.Contains("Global model", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_results_page_lists_novel_sequences_first_and_the_sequence_view_shows_surprise_cluster_and_reason()
    {
        var (datasetId, savedId, _, clusterIds) = await CreateClusteredDatasetAsync("Scored");
        int runId;
        await using (var db = await DbAsync())
        {
            db.SequenceEventTypes.AddRange(new SequenceEventType { DatasetId = datasetId, Index = 0, Key = "5", DisplayName = "open" },
                new SequenceEventType { DatasetId = datasetId, Index = 1, Key = "22", DisplayName = "write" });
            var set = new NoveltyModelSet { DatasetId = datasetId, ClusteringId = savedId, Name = "scored set", CreatedAt = DateTime.UtcNow };
            db.NoveltyModelSets.Add(set);
            await db.SaveChangesAsync();
            var model = new NoveltyModel { ModelSetId = set.Id, Status = NoveltyModelStatus.Ready, Threshold = 2, CreatedAt = DateTime.UtcNow };
            db.NoveltyModels.Add(model);
            await db.SaveChangesAsync();
            var run = new ScoringRun { ModelSetId = set.Id, FileName = "new.txt", SequenceCount = 2, NovelCount = 1, CreatedAt = DateTime.UtcNow, CreatedByName = "t" };
            db.ScoringRuns.Add(run);
            await db.SaveChangesAsync();
            db.SequenceScores.AddRange(
                new SequenceScore { ScoringRunId = run.Id, Ordinal = 1, SourceId = "calm", Events = [0, 1], ModelId = model.Id, AssignmentReason = "one global model", Perplexity = 1.2, Surprise = [0.1f, 0.2f, 0.1f] },
                new SequenceScore { ScoringRunId = run.Id, Ordinal = 2, SourceId = "odd", Events = [1, -1], ClusterId = clusterIds[0], ModelId = model.Id, AssignmentReason = "nearest centroid 1", Perplexity = 9.5, Surprise = [0.3f, 7.5f, 2f], IsNovel = true, TopGMisses = 1 });
            await db.SaveChangesAsync();
            runId = run.Id;
        }
        var client = await app.ClientAsync("curator@demo.local");

        var list = await client.GetStringAsync($"/sequences/{datasetId}/novelty/scores/{runId}");
        var detail = await client.GetStringAsync($"/sequences/{datasetId}/novelty/scores/{runId}/2");

        Assert.True(list.IndexOf(">odd<", StringComparison.Ordinal) < list.IndexOf(">calm<", StringComparison.Ordinal));
        Assert.Contains("data-surprise=\"7.5\"", list, StringComparison.Ordinal);
        Assert.Contains("reads", detail, StringComparison.Ordinal);
        Assert.Contains("nearest centroid 1", detail, StringComparison.Ordinal);
        Assert.Contains("unknown event", detail, StringComparison.Ordinal);
        Assert.Contains("9.500", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_evaluated_set_shows_its_table_and_ROC_curves()
    {
        var (datasetId, savedId, _, clusterIds) = await CreateClusteredDatasetAsync("Evaluated");
        var summary = DetectionSummary.Of([(1.0, false), (2.0, true)], [(3.0, true), (0.5, false)]);
        var part = new EvaluatedPart(summary, summary);
        await using (var db = await DbAsync())
        {
            var set = new NoveltyModelSet { DatasetId = datasetId, ClusteringId = savedId, Name = "evaluated set", CreatedAt = DateTime.UtcNow };
            db.NoveltyModelSets.Add(set);
            await db.SaveChangesAsync();
            var model = new NoveltyModel
            {
                ModelSetId = set.Id,
                ClusterId = clusterIds[0],
                Status = NoveltyModelStatus.Ready,
                Threshold = 2.5,
                ValidationScores = [1, 2, 2.5f, 3],
                CreatedAt = DateTime.UtcNow,
            };
            db.NoveltyModels.Add(model);
            await db.SaveChangesAsync();
            // Above 2.5: one of two novel (recall 50 %), none of two normal; F1 = 2·1·0.5/1.5.
            var evaluation = new NoveltyEvaluation(4, 4, part, part, [new ClusterEvaluation(clusterIds[0], "reads", part)], 0.1, DateTime.UtcNow,
                [new ModelTestScores(model.Id, [1, 2], [2, 3])]);
            set.Evaluation = JsonSerializer.Serialize(evaluation, JobJson.Options);
            await db.SaveChangesAsync();
        }
        var client = await app.ClientAsync("curator@demo.local");

        var page = await client.GetStringAsync($"/sequences/{datasetId}/novelty");

        Assert.Contains("Evaluation on the labelled test part", page, StringComparison.Ordinal);
        Assert.Contains("data-scope=\"Per-cluster models (overall)\"", page, StringComparison.Ordinal);
        Assert.Contains("data-scope=\"Cluster: reads\"", page, StringComparison.Ordinal);
        Assert.Contains(summary.RocAuc!.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), page, StringComparison.Ordinal);
        Assert.Contains("ROC curves", page, StringComparison.Ordinal);
        Assert.Contains("0.667", page, StringComparison.Ordinal);
    }
}
