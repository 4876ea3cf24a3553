using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;
using WebApp.Testing;
using WebApp.Workers.Sequences.Clustering;

namespace WebApp.Workers.Tests.Sequences.Clustering;

/// <summary>The clustering job on the HDFS tiny fixture against real PostgreSQL.</summary>
public sealed class SequenceClusteringJobTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private SequenceClusteringJob CreateJob()
    {
        var factory = _database.CreateFactory();
        return new SequenceClusteringJob(factory, new JobRunReporter(factory, TimeProvider.System), new AuditTrail(TimeProvider.System),
            NullLogger<SequenceClusteringJob>.Instance);
    }

    /// <summary>The 300 tiny training sessions in the train part and 20 abnormal ones in the test part.</summary>
    private async Task<int> SeedTinyAsync(string name = "hdfs tiny")
    {
        await using var db = _database.CreateContext();
        var datasetId = await SequenceTestData.CreateDatasetAsync(db, name);
        await SequenceTestData.AddLinesAsync(db, datasetId, await File.ReadAllLinesAsync(SequenceTestData.TinyFile("hdfs_train")), SequenceParts.Train);
        await SequenceTestData.AddLinesAsync(db, datasetId,
            (await File.ReadAllLinesAsync(SequenceTestData.TinyFile("hdfs_test_abnormal"))).Take(20), SequenceParts.Test);
        return datasetId;
    }

    private async Task<Guid> QueueAsync(SequenceClusteringParameters parameters)
    {
        await using var db = _database.CreateContext();
        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.SequenceClustering,
            Status = JobRunStatus.Queued,
            Parameters = JsonSerializer.Serialize(parameters, JobJson.Options),
            TotalSteps = parameters.MaxK - parameters.MinK + 1,
            RequestedByName = "Cora Curator",
            CreatedAt = DateTime.UtcNow,
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private static async Task<(List<long> Train, List<long> Test)> SequenceIdsAsync(AppDbContext db, int datasetId) =>
        (await db.EventSequences.Where(s => s.DatasetId == datasetId && s.Part == SequenceParts.Train).Select(s => s.Id).ToListAsync(),
         await db.EventSequences.Where(s => s.DatasetId == datasetId && s.Part == SequenceParts.Test).Select(s => s.Id).ToListAsync());

    [Fact]
    public async Task The_LDA_ensemble_stores_a_model_per_k_with_topics_mixtures_and_an_argmax_clustering()
    {
        var datasetId = await SeedTinyAsync();
        var runId = await QueueAsync(new SequenceClusteringParameters(datasetId, ClusteringKinds.Lda, 2, 4, Seed: 5, Iterations: 100));

        await CreateJob().RunAsync(runId, CancellationToken.None);

        await using var db = _database.CreateContext();
        var run = await db.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal(3, run.Step);
        Assert.Contains("LDA ensemble, 3 models", run.Message, StringComparison.Ordinal);
        var (train, test) = await SequenceIdsAsync(db, datasetId);
        Assert.Equal(300, train.Count);
        var vocabulary = await db.SequenceEventTypes.CountAsync(e => e.DatasetId == datasetId);

        var models = await db.TopicModels.Where(m => m.DatasetId == datasetId).OrderBy(m => m.TopicCount).ToListAsync();
        Assert.Equal([2, 3, 4], models.Select(m => m.TopicCount));
        Assert.All(models, m => Assert.Equal(runId, m.EnsembleRunId));
        foreach (var model in models)
        {
            var topics = await db.Topics.Where(t => t.TopicModelId == model.Id).OrderBy(t => t.Index).ToListAsync();
            Assert.Equal(Enumerable.Range(0, model.TopicCount), topics.Select(t => t.Index));
            Assert.All(topics, t =>
            {
                Assert.Equal(vocabulary, t.EventWeights.Length);
                Assert.Equal(1.0, t.EventWeights.Sum(), 4);
            });
            var mixtures = await db.SequenceTopicMixtures.Where(m => m.TopicModelId == model.Id).ToListAsync();
            Assert.Equal(train.Order(), mixtures.Select(m => m.SequenceId).Order());
            Assert.All(mixtures, m =>
            {
                Assert.Equal(model.TopicCount, m.Weights.Length);
                Assert.Equal(1.0, m.Weights.Sum(), 4);
                Assert.All(m.Weights, w => Assert.InRange(w, 0, 1));
            });
        }
        Assert.False(await db.SequenceTopicMixtures.AnyAsync(m => test.Contains(m.SequenceId)));

        var clusterings = await db.Clusterings.Where(c => c.DatasetId == datasetId).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(["LDA k=2 (argmax topic)", "LDA k=3 (argmax topic)", "LDA k=4 (argmax topic)"], clusterings.Select(c => c.Name));
        Assert.All(clusterings, c =>
        {
            Assert.Equal(ClusteringKinds.Lda, c.Kind);
            Assert.Equal(runId, c.EnsembleRunId);
            Assert.NotNull(c.Silhouette);
            Assert.InRange(c.Silhouette!.Value, -1, 1);
        });
        foreach (var (clustering, model) in clusterings.Zip(models))
        {
            var clusters = await db.Clusters.Where(c => c.ClusteringId == clustering.Id).OrderBy(c => c.Index).ToListAsync();
            var topicIds = await db.Topics.Where(t => t.TopicModelId == model.Id).OrderBy(t => t.Index).Select(t => t.Id).ToListAsync();
            // Cluster i is topic i, named by its events.
            Assert.Equal(topicIds, clusters.Select(c => Assert.Single(c.TopicIds)));
            Assert.All(clusters, c => Assert.StartsWith($"Topic {c.Index + 1}: ", c.Name, StringComparison.Ordinal));
            await AssertCoversTrainOnceAsync(db, clustering.Id, train);
        }
        Assert.True(await db.AuditRecords.AnyAsync(a => a.Action == SequenceClusteringJob.AuditAction && a.EntityId == datasetId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Every training sequence is assigned exactly once, to a cluster of the clustering, and no test sequence is.</summary>
    private static async Task AssertCoversTrainOnceAsync(AppDbContext db, int clusteringId, List<long> train)
    {
        var assignments = await db.SequenceAssignments.Where(a => a.ClusteringId == clusteringId).ToListAsync();
        Assert.Equal(train.Order(), assignments.Select(a => a.SequenceId).Order());
        var clusterIds = await db.Clusters.Where(c => c.ClusteringId == clusteringId).Select(c => c.Id).ToListAsync();
        Assert.All(assignments, a =>
        {
            Assert.Contains(a.ClusterId, clusterIds);
            Assert.False(a.IsManual);
        });
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_topics_and_mixtures()
    {
        var datasetId = await SeedTinyAsync();
        var first = await QueueAsync(new SequenceClusteringParameters(datasetId, ClusteringKinds.Lda, 3, 3, Seed: 11, Iterations: 60));
        var second = await QueueAsync(new SequenceClusteringParameters(datasetId, ClusteringKinds.Lda, 3, 3, Seed: 11, Iterations: 60));

        await CreateJob().RunAsync(first, CancellationToken.None);
        await CreateJob().RunAsync(second, CancellationToken.None);

        await using var db = _database.CreateContext();
        async Task<(List<float[]> Topics, List<float[]> Mixtures)> LoadAsync(Guid runId)
        {
            var model = await db.TopicModels.SingleAsync(m => m.EnsembleRunId == runId);
            return (await db.Topics.Where(t => t.TopicModelId == model.Id).OrderBy(t => t.Index).Select(t => t.EventWeights).ToListAsync(),
                await db.SequenceTopicMixtures.Where(m => m.TopicModelId == model.Id).OrderBy(m => m.SequenceId).Select(m => m.Weights).ToListAsync());
        }
        var (topicsA, mixturesA) = await LoadAsync(first);
        var (topicsB, mixturesB) = await LoadAsync(second);
        Assert.Equal(topicsA, topicsB);
        Assert.Equal(mixturesA, mixturesB);
    }

    [Fact]
    public async Task K_means_stores_the_clustering_chosen_by_silhouette_with_centroids()
    {
        var datasetId = await SeedTinyAsync();
        var runId = await QueueAsync(SequenceClusteringParameters.Defaults(datasetId, ClusteringKinds.KMeans));

        await CreateJob().RunAsync(runId, CancellationToken.None);

        await using var db = _database.CreateContext();
        var run = await db.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal(9, run.TotalSteps);
        var clustering = await db.Clusterings.SingleAsync(c => c.DatasetId == datasetId);
        Assert.Equal(ClusteringKinds.KMeans, clustering.Kind);
        Assert.Equal(runId, clustering.JobRunId);
        using var parameters = JsonDocument.Parse(clustering.Parameters);
        var byK = parameters.RootElement.GetProperty("silhouetteByK").EnumerateObject()
            .ToDictionary(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => p.Value.GetDouble());
        Assert.Equal(Enumerable.Range(2, 9), byK.Keys.Order());
        var k = parameters.RootElement.GetProperty("k").GetInt32();
        Assert.Equal(byK.Values.Max(), byK[k], 4);
        Assert.Equal(byK[k], clustering.Silhouette!.Value, 4);

        var clusters = await db.Clusters.Where(c => c.ClusteringId == clustering.Id).OrderBy(c => c.Index).ToListAsync();
        Assert.Equal(k, clusters.Count);
        var vocabulary = await db.SequenceEventTypes.CountAsync(e => e.DatasetId == datasetId);
        Assert.All(clusters, c =>
        {
            Assert.StartsWith($"k-means {c.Index + 1}: ", c.Name, StringComparison.Ordinal);
            using var center = JsonDocument.Parse(c.Center!);
            Assert.Equal(vocabulary, center.RootElement.GetProperty("centroid").GetArrayLength());
        });
        var (train, _) = await SequenceIdsAsync(db, datasetId);
        await AssertCoversTrainOnceAsync(db, clustering.Id, train);
        // Largest cluster first.
        var sizes = await db.SequenceAssignments.Where(a => a.ClusteringId == clustering.Id).GroupBy(a => a.ClusterId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        Assert.Equal(clusters.Select(c => sizes.GetValueOrDefault(c.Id)).OrderDescending(), clusters.Select(c => sizes.GetValueOrDefault(c.Id)));
    }

    [Fact]
    public async Task K_medoids_stores_medoid_sequences_of_the_dataset()
    {
        var datasetId = await SeedTinyAsync();
        var runId = await QueueAsync(new SequenceClusteringParameters(datasetId, ClusteringKinds.KMedoids, 2, 5));

        await CreateJob().RunAsync(runId, CancellationToken.None);

        await using var db = _database.CreateContext();
        Assert.Equal(JobRunStatus.Succeeded, (await db.JobRuns.SingleAsync(r => r.Id == runId)).Status);
        var clustering = await db.Clusterings.SingleAsync(c => c.JobRunId == runId);
        Assert.Equal(ClusteringKinds.KMedoids, clustering.Kind);
        var (train, _) = await SequenceIdsAsync(db, datasetId);
        await AssertCoversTrainOnceAsync(db, clustering.Id, train);
        foreach (var cluster in await db.Clusters.Where(c => c.ClusteringId == clustering.Id).ToListAsync())
        {
            using var center = JsonDocument.Parse(cluster.Center!);
            var medoidId = center.RootElement.GetProperty("medoidSequenceId").GetInt64();
            var medoid = await db.EventSequences.SingleAsync(s => s.Id == medoidId);
            Assert.Equal(SequenceParts.Train, medoid.Part);
            Assert.Equal(medoid.Events, center.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetInt32()));
            // The medoid belongs to its own cluster.
            Assert.Equal(cluster.Id, (await db.SequenceAssignments.SingleAsync(a => a.ClusteringId == clustering.Id && a.SequenceId == medoidId)).ClusterId);
        }
    }

    [Fact]
    public async Task A_retried_run_stores_its_results_once()
    {
        var datasetId = await SeedTinyAsync();
        var kMeans = await QueueAsync(new SequenceClusteringParameters(datasetId, ClusteringKinds.KMeans, 2, 3));
        var lda = await QueueAsync(new SequenceClusteringParameters(datasetId, ClusteringKinds.Lda, 2, 2, Iterations: 30));

        foreach (var runId in new[] { kMeans, kMeans, lda, lda })
        {
            await CreateJob().RunAsync(runId, CancellationToken.None);
        }

        await using var check = _database.CreateContext();
        Assert.Equal(1, await check.Clusterings.CountAsync(c => c.JobRunId == kMeans));
        Assert.Equal(1, await check.Clusterings.CountAsync(c => c.EnsembleRunId == lda));
        Assert.Equal(1, await check.TopicModels.CountAsync(m => m.EnsembleRunId == lda));
        Assert.Equal(2, await check.AuditRecords.CountAsync(a => a.Action == SequenceClusteringJob.AuditAction));
        var clusteringId = await check.Clusterings.Where(c => c.JobRunId == kMeans).Select(c => c.Id).SingleAsync();
        Assert.Equal(300, await check.SequenceAssignments.CountAsync(a => a.ClusteringId == clusteringId));
    }

    [Fact]
    public async Task A_dataset_without_training_sequences_fails_with_a_message()
    {
        int datasetId;
        await using (var db = _database.CreateContext())
        {
            datasetId = await SequenceTestData.CreateDatasetAsync(db, "only test");
            await SequenceTestData.AddLinesAsync(db, datasetId, ["5 22 11 9", "5 5 22"], SequenceParts.Test);
        }
        var runId = await QueueAsync(SequenceClusteringParameters.Defaults(datasetId, ClusteringKinds.Lda));

        await CreateJob().RunAsync(runId, CancellationToken.None);

        await using var check = _database.CreateContext();
        var run = await check.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Equal("The dataset has no training sequences: import sequences into its train part first.", run.Error);
        Assert.False(await check.TopicModels.AnyAsync());
        Assert.False(await check.Clusterings.AnyAsync());
    }
}
