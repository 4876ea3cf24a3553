using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;
using WebApp.Domain.Uploads;
using WebApp.Testing;
using WebApp.Workers.Sequences.Novelty.Jobs;
using WebApp.Workers.Tests.Sequences.Clustering;
using WebApp.Workers.Training;

namespace WebApp.Workers.Tests.Sequences.NoveltyJobs;

/// <summary>The training, evaluation and scoring jobs on the HDFS tiny fixture, with a tiny grid so they run in seconds.</summary>
public sealed class NoveltyJobsTests : IAsyncLifetime
{
    private static readonly NoveltyTrainingSettings TinySettings = NoveltyTrainingSettings.Defaults() with
    {
        EmbeddingSizes = [8],
        HiddenSizes = [8],
        MaxEpochs = 3,
        Patience = 2,
        BatchSize = 64,
    };

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static TorchDevices Devices() => new(Options.Create(new WorkerOptions { TorchThreads = 1 }), NullLogger<TorchDevices>.Instance);

    private NoveltyTrainingJob TrainingJob()
    {
        var factory = _database.CreateFactory();
        var audit = new AuditTrail(TimeProvider.System);
        var devices = Devices();
        return new NoveltyTrainingJob(factory, new JobRunReporter(factory, TimeProvider.System), audit, devices,
            new ModelSetEvaluator(factory, audit, devices), NullLogger<NoveltyTrainingJob>.Instance);
    }

    private NoveltyScoringJob ScoringJob()
    {
        var factory = _database.CreateFactory();
        return new NoveltyScoringJob(factory, new UploadStore(factory, TimeProvider.System), new JobRunReporter(factory, TimeProvider.System),
            new AuditTrail(TimeProvider.System), Devices(), NullLogger<NoveltyScoringJob>.Instance);
    }

    private static async Task<Guid> QueueRunAsync(AppDbContext db, string kind, object parameters)
    {
        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            Status = JobRunStatus.Queued,
            Parameters = JsonSerializer.Serialize(parameters, parameters.GetType(), JobJson.Options),
            RequestedByName = "Cora Curator",
            CreatedAt = DateTime.UtcNow,
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    /// <summary>
    /// The tiny fixture: training sessions, 40 abnormal and 40 stand-in normal test sessions with their labels, and a
    /// saved k-means clustering splitting short from long sessions (plus an empty Others).
    /// </summary>
    private async Task<(int DatasetId, int SetId, int[] ClusterIds)> SeedAsync()
    {
        await using var db = _database.CreateContext();
        var datasetId = await SequenceTestData.CreateDatasetAsync(db, "tiny");
        await SequenceTestData.AddLinesAsync(db, datasetId, File.ReadLines(SequenceTestData.TinyFile("hdfs_train")), SequenceParts.Train);
        // One call, so the source ids (line numbers) stay unique: 40 abnormal sessions, then 40 stand-in normal ones.
        await SequenceTestData.AddLinesAsync(db, datasetId, File.ReadLines(SequenceTestData.TinyFile("hdfs_test_abnormal")).Take(40)
            .Concat(File.ReadLines(SequenceTestData.TinyFile("alt_normal_logrobust.txt")).Take(40)), SequenceParts.Test);
        var test = await db.EventSequences.Where(s => s.DatasetId == datasetId && s.Part == SequenceParts.Test).OrderBy(s => s.Ordinal)
            .Select(s => s.Id).ToListAsync();
        var novelIds = test.Take(40).ToList();
        db.SequenceLabels.AddRange(test.Select(id => new SequenceLabel
        {
            SequenceId = id,
            Label = novelIds.Contains(id) ? KnownLabel.Novel : KnownLabel.Normal,
            Source = "fixture",
        }));

        var vocabulary = await db.SequenceEventTypes.CountAsync(e => e.DatasetId == datasetId);
        var train = await db.EventSequences.Where(s => s.DatasetId == datasetId && s.Part == SequenceParts.Train).ToListAsync();
        var groups = train.GroupBy(s => s.Length >= 15).OrderBy(g => g.Key).ToList();
        var clustering = new WebApp.Domain.Sequences.Clustering { DatasetId = datasetId, Name = "k-means k=2", Kind = ClusteringKinds.KMeans, Status = ClusteringStatus.Saved, CreatedAt = DateTime.UtcNow };
        db.Clusterings.Add(clustering);
        await db.SaveChangesAsync();
        var clusters = groups.Select((g, i) => new Cluster
        {
            ClusteringId = clustering.Id,
            Index = i,
            Name = g.Key ? "long" : "short",
            Center = JsonSerializer.Serialize(new { centroid = Enumerable.Range(0, vocabulary).Select(e => (float)g.Average(s => s.Events.Count(x => x == e))) }),
        }).Append(new Cluster { ClusteringId = clustering.Id, Index = 2, Name = "Others", IsOthers = true }).ToList();
        db.Clusters.AddRange(clusters);
        await db.SaveChangesAsync();
        for (var g = 0; g < groups.Count; g++)
        {
            db.SequenceAssignments.AddRange(groups[g].Select(s => new SequenceAssignment { ClusteringId = clustering.Id, SequenceId = s.Id, ClusterId = clusters[g].Id }));
        }
        var set = new NoveltyModelSet
        {
            DatasetId = datasetId,
            ClusteringId = clustering.Id,
            Name = "tiny set",
            Parameters = JsonSerializer.Serialize(TinySettings, JobJson.Options),
            TargetFalsePositiveRate = 0.05,
            CreatedAt = DateTime.UtcNow,
        };
        db.NoveltyModelSets.Add(set);
        await db.SaveChangesAsync();
        return (datasetId, set.Id, [clusters[0].Id, clusters[1].Id]);
    }

    private async Task<Guid[]> TrainAllAsync(int setId, int[] clusterIds)
    {
        var runs = new List<Guid>();
        await using (var db = _database.CreateContext())
        {
            foreach (var clusterId in clusterIds.Select(c => (int?)c).Append(null))
            {
                runs.Add(await QueueRunAsync(db, JobKinds.NoveltyTraining, new NoveltyTrainingParameters(setId, clusterId)));
            }
        }
        foreach (var run in runs) await TrainingJob().RunAsync(run, CancellationToken.None);
        return [.. runs];
    }

    [Fact]
    public async Task Each_job_stores_its_model_Ready_with_weights_sorted_validation_scores_and_the_percentile_threshold()
    {
        var (_, setId, clusterIds) = await SeedAsync();

        var runs = await TrainAllAsync(setId, clusterIds);

        await using var check = _database.CreateContext();
        Assert.All(await check.JobRuns.Where(r => runs.Contains(r.Id)).ToListAsync(), r => Assert.Equal(JobRunStatus.Succeeded, r.Status));
        var models = await check.NoveltyModels.Where(m => m.ModelSetId == setId).ToListAsync();
        Assert.Equal(3, models.Count);
        foreach (var model in models)
        {
            Assert.Equal(NoveltyModelStatus.Ready, model.Status);
            Assert.True(model.TrainSequences > 0 && model.ValidationSequences == model.ValidationScores.Length);
            Assert.Equal(model.ValidationScores.Order(), model.ValidationScores);
            Assert.Equal(NoveltyMath.Threshold(model.ValidationScores, 0.05), model.Threshold);
            var weights = NextEventWeights.FromBytes((await check.NoveltyModelFiles.SingleAsync(f => f.ModelId == model.Id)).Content);
            Assert.Equal(8, weights.HiddenSize);
        }
        var global = models.Single(m => m.ClusterId is null);
        Assert.Equal(models.Where(m => m.ClusterId is not null).Sum(m => m.TrainSequences + m.ValidationSequences),
            global.TrainSequences + global.ValidationSequences);
        Assert.Equal(3, await check.AuditRecords.CountAsync(r => r.Action == NoveltyTrainingJob.AuditAction));
    }

    [Fact]
    public async Task The_job_completing_the_last_model_evaluates_the_set_once_overall_per_cluster_and_globally()
    {
        var (_, setId, clusterIds) = await SeedAsync();
        await using (var db = _database.CreateContext())
        {
            var first = await QueueRunAsync(db, JobKinds.NoveltyTraining, new NoveltyTrainingParameters(setId, clusterIds[0]));
            await TrainingJob().RunAsync(first, CancellationToken.None);
        }
        await using (var partial = _database.CreateContext())
        {
            Assert.Null((await partial.NoveltyModelSets.SingleAsync(s => s.Id == setId)).Evaluation);
        }

        await TrainAllAsync(setId, clusterIds[1..]);

        await using var check = _database.CreateContext();
        var set = await check.NoveltyModelSets.SingleAsync(s => s.Id == setId);
        var evaluation = JsonSerializer.Deserialize<NoveltyEvaluation>(set.Evaluation!, JobJson.Options)!;
        Assert.Equal(80, evaluation.TestSequences);
        Assert.Equal((40, 40), (evaluation.Overall.All.Normal, evaluation.Overall.All.Novel));
        Assert.InRange(evaluation.Overall.All.RocAuc!.Value, 0, 1);
        Assert.NotEmpty(evaluation.Overall.All.Roc);
        Assert.True(evaluation.Overall.Deduplicated.Normal + evaluation.Overall.Deduplicated.Novel <= evaluation.DistinctTestSequences);
        Assert.Equal(80, evaluation.Global.All.Normal + evaluation.Global.All.Novel);
        Assert.Equal(["short", "long", "Others (global model)"], evaluation.Clusters.Select(c => c.Name));
        Assert.Equal(80, evaluation.Clusters.Sum(c => c.Result.All.Normal + c.Result.All.Novel));
        Assert.Equal(1, await check.AuditRecords.CountAsync(r => r.Action == ModelSetEvaluator.AuditAction));
        // Each model keeps the test perplexities it gave, so a moved threshold shows its effect on the test part.
        Assert.Equal(80, evaluation.ModelScores!.Sum(m => m.Normal.Length + m.Novel.Length));
        Assert.All(evaluation.ModelScores!, m => Assert.Equal(m.Novel.Order(), m.Novel));

        var factory = _database.CreateFactory();
        var again = await new ModelSetEvaluator(factory, new AuditTrail(TimeProvider.System), Devices())
            .EvaluateIfCompleteAsync(setId, "test", CancellationToken.None);
        Assert.False(again);
    }

    [Fact]
    public async Task A_retry_after_a_crash_reuses_the_Training_row_and_a_second_run_of_the_cluster_adds_no_model()
    {
        var (_, setId, clusterIds) = await SeedAsync();
        Guid crashed, second;
        await using (var db = _database.CreateContext())
        {
            crashed = await QueueRunAsync(db, JobKinds.NoveltyTraining, new NoveltyTrainingParameters(setId, clusterIds[0]));
            second = await QueueRunAsync(db, JobKinds.NoveltyTraining, new NoveltyTrainingParameters(setId, clusterIds[0]));
            // What a killed first attempt leaves behind: its model row, still Training, and nothing else.
            db.NoveltyModels.Add(new NoveltyModel { ModelSetId = setId, ClusterId = clusterIds[0], Status = NoveltyModelStatus.Training, JobRunId = crashed, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        await TrainingJob().RunAsync(crashed, CancellationToken.None);
        await TrainingJob().RunAsync(crashed, CancellationToken.None);
        await TrainingJob().RunAsync(second, CancellationToken.None);

        await using var check = _database.CreateContext();
        var model = await check.NoveltyModels.SingleAsync(m => m.ModelSetId == setId);
        Assert.Equal((NoveltyModelStatus.Ready, (Guid?)crashed), (model.Status, model.JobRunId));
        Assert.Equal(1, await check.NoveltyModelFiles.CountAsync());
        Assert.Equal(JobRunStatus.Succeeded, (await check.JobRuns.SingleAsync(r => r.Id == second)).Status);
        Assert.Equal(1, await check.AuditRecords.CountAsync(r => r.Action == NoveltyTrainingJob.AuditAction));
    }

    [Fact]
    public async Task Scoring_a_file_stores_every_sequence_assigned_and_scored_with_unknown_events_as_surprising()
    {
        var (_, setId, clusterIds) = await SeedAsync();
        await TrainAllAsync(setId, clusterIds);
        var lines = File.ReadLines(SequenceTestData.TinyFile("hdfs_test_abnormal")).Take(20).Append("5 5 999 22").ToList();
        var store = new UploadStore(_database.CreateFactory(), TimeProvider.System);
        await using var content = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        var file = await store.SaveAsync(content, "new.txt", "text/plain", "tester", 1L << 30, CancellationToken.None);
        Guid runId;
        await using (var db = _database.CreateContext())
        {
            runId = await QueueRunAsync(db, JobKinds.NoveltyScoring, new NoveltyScoringParameters(setId, SequenceImportFormat.Lines, file.Id, "new.txt"));
        }

        await ScoringJob().RunAsync(runId, CancellationToken.None);

        await using var check = _database.CreateContext();
        Assert.Equal(JobRunStatus.Succeeded, (await check.JobRuns.SingleAsync(r => r.Id == runId)).Status);
        var scoring = await check.ScoringRuns.SingleAsync(r => r.JobRunId == runId);
        var scores = await check.SequenceScores.Where(s => s.ScoringRunId == scoring.Id).OrderByDescending(s => s.Perplexity).ToListAsync();
        Assert.Equal(21, scores.Count);
        Assert.Equal(scores.Count(s => s.IsNovel), scoring.NovelCount);
        Assert.All(scores, s => Assert.Equal(s.Events.Length + 1, s.Surprise.Length));
        Assert.All(scores, s => Assert.NotEmpty(s.AssignmentReason));
        var unknown = scores.Single(s => s.SourceId == "new.txt:21");
        Assert.Equal(-1, unknown.Events[2]);
        // The models never saw the unknown token as a next event: it is more surprising than a typical event.
        var median = scores.SelectMany(s => s.Surprise).Order().ElementAt(scores.Sum(s => s.Surprise.Length) / 2);
        Assert.True(unknown.Surprise[2] > median, $"unknown event surprise {unknown.Surprise[2]}, median {median}");
        var models = await check.NoveltyModels.Where(m => m.ModelSetId == setId).ToDictionaryAsync(m => m.Id);
        Assert.All(scores, s => Assert.Equal(models[s.ModelId].ClusterId, s.ClusterId));
        Assert.All(scores, s => Assert.Equal(s.Perplexity > models[s.ModelId].Threshold, s.IsNovel));
    }

    [Fact]
    public async Task A_malformed_file_fails_the_run_with_its_line_and_stores_nothing()
    {
        var (_, setId, clusterIds) = await SeedAsync();
        await TrainAllAsync(setId, clusterIds);
        var store = new UploadStore(_database.CreateFactory(), TimeProvider.System);
        await using var content = new MemoryStream(Encoding.UTF8.GetBytes("{\"id\":\"a\",\"events\":[\"5\"]}\nnot json\n"));
        var file = await store.SaveAsync(content, "bad.jsonl", "text/plain", "tester", 1L << 30, CancellationToken.None);
        Guid runId;
        await using (var db = _database.CreateContext())
        {
            runId = await QueueRunAsync(db, JobKinds.NoveltyScoring, new NoveltyScoringParameters(setId, SequenceImportFormat.Jsonl, file.Id, "bad.jsonl"));
        }

        await ScoringJob().RunAsync(runId, CancellationToken.None);

        await using var check = _database.CreateContext();
        var run = await check.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Contains("line 2", run.Error, StringComparison.Ordinal);
        Assert.False(await check.ScoringRuns.AnyAsync());
    }

    [Fact]
    public async Task A_cluster_too_small_to_validate_fails_its_model_and_the_set_is_still_evaluated_with_the_global_model_for_it()
    {
        var (_, setId, clusterIds) = await SeedAsync();
        await using (var db = _database.CreateContext())
        {
            // Leave the short cluster a single session: nothing can be held out for validation.
            var keep = await db.SequenceAssignments.Where(a => a.ClusterId == clusterIds[0]).OrderBy(a => a.SequenceId).Select(a => a.SequenceId).FirstAsync();
            await db.SequenceAssignments.Where(a => a.ClusterId == clusterIds[0] && a.SequenceId != keep).ExecuteDeleteAsync();
        }

        var runs = await TrainAllAsync(setId, clusterIds);

        await using var check = _database.CreateContext();
        var failed = await check.JobRuns.SingleAsync(r => r.Id == runs[0]);
        Assert.Equal(JobRunStatus.Failed, failed.Status);
        Assert.Contains("too few", failed.Error, StringComparison.Ordinal);
        Assert.Equal(NoveltyModelStatus.Failed, (await check.NoveltyModels.SingleAsync(m => m.ModelSetId == setId && m.ClusterId == clusterIds[0])).Status);
        var evaluation = JsonSerializer.Deserialize<NoveltyEvaluation>((await check.NoveltyModelSets.SingleAsync(s => s.Id == setId)).Evaluation!, JobJson.Options)!;
        Assert.Equal(80, evaluation.TestSequences);
        // Nothing lands in the short cluster: its sequences count with Others, under the global model.
        Assert.Equal(0, evaluation.Clusters.Single(c => c.ClusterId == clusterIds[0]).Result.All.Normal
            + evaluation.Clusters.Single(c => c.ClusterId == clusterIds[0]).Result.All.Novel);
    }

    [Fact]
    public async Task A_cancelled_model_stops_its_training_loop_is_marked_failed_and_the_set_is_evaluated_without_it()
    {
        var (_, setId, clusterIds) = await SeedAsync();
        await using (var db = _database.CreateContext())
        {
            var first = await QueueRunAsync(db, JobKinds.NoveltyTraining, new NoveltyTrainingParameters(setId, clusterIds[1]));
            var global = await QueueRunAsync(db, JobKinds.NoveltyTraining, new NoveltyTrainingParameters(setId, null));
            await TrainingJob().RunAsync(first, CancellationToken.None);
            await TrainingJob().RunAsync(global, CancellationToken.None);
            // The last model trains far longer than the test waits.
            await db.NoveltyModelSets.Where(s => s.Id == setId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Parameters,
                JsonSerializer.Serialize(TinySettings with { MaxEpochs = 10_000, Patience = 10_000 }, JobJson.Options)));
        }
        Guid id;
        await using (var db = _database.CreateContext())
        {
            id = await QueueRunAsync(db, JobKinds.NoveltyTraining, new NoveltyTrainingParameters(setId, clusterIds[0]));
        }
        var running = TrainingJob().RunAsync(id, CancellationToken.None);
        for (var waited = 0; waited < 600; waited++)
        {
            await using var poll = _database.CreateContext();
            if (await poll.JobRuns.AnyAsync(r => r.Id == id && r.Step > 0)) break;
            await Task.Delay(50);
        }

        await using (var db = _database.CreateContext())
        {
            await db.JobRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.CancelRequestedAt, DateTime.UtcNow).SetProperty(r => r.CancelRequestedByName, "admin@demo.local"));
        }
        var requested = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<JobRunCancelledException>(() => running);

        // Reports go out twice a second; the loop then leaves its batch before the job returns.
        Assert.True(requested.Elapsed < TimeSpan.FromSeconds(2), $"stopped after {requested.Elapsed.TotalMilliseconds:F0} ms");
        await using var check = _database.CreateContext();
        var run = await check.JobRuns.SingleAsync(r => r.Id == id);
        Assert.Equal(JobRunStatus.Cancelled, run.Status);
        Assert.True(run.Step < 10_000);
        Assert.Equal(NoveltyModelStatus.Failed, (await check.NoveltyModels.SingleAsync(m => m.ModelSetId == setId && m.ClusterId == clusterIds[0])).Status);
        Assert.False(await check.NoveltyModelFiles.AnyAsync(f => check.NoveltyModels.Any(m => m.Id == f.ModelId && m.ClusterId == clusterIds[0])));
        Assert.NotNull((await check.NoveltyModelSets.SingleAsync(s => s.Id == setId)).Evaluation);
    }
}
