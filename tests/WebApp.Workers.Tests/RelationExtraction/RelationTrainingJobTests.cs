using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.Labeling;
using WebApp.Domain.Training;
using WebApp.Testing;
using WebApp.Workers.RelationExtraction;
using WebApp.Workers.RelationExtraction.Training;
using WebApp.Workers.Training;

namespace WebApp.Workers.Tests.RelationExtraction;

public sealed class RelationTrainingJobTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private RelationTrainingJob CreateJob()
    {
        var factory = _database.CreateFactory();
        var devices = new TorchDevices(Options.Create(new WorkerOptions { TorchThreads = 1 }), NullLogger<TorchDevices>.Instance);
        return new RelationTrainingJob(factory, new JobRunReporter(factory, TimeProvider.System),
            new AuditTrail(TimeProvider.System), devices, NullLogger<RelationTrainingJob>.Instance);
    }

    private static async Task<Guid> QueueRunAsync(AppDbContext db, RelationTrainingParameters parameters)
    {
        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.RelationTraining,
            Status = JobRunStatus.Queued,
            Parameters = JsonSerializer.Serialize(parameters, JobJson.Options),
            RequestedByName = "Ada Admin",
            CreatedAt = DateTime.UtcNow,
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    [Fact]
    public async Task A_run_stores_an_evaluated_model_version_with_a_prediction_for_every_candidate()
    {
        int projectId;
        Guid runId;
        await using (var db = _database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db);
            runId = await QueueRunAsync(db, new RelationTrainingParameters(projectId, LearningRate: 0.01, Epochs: 12, BatchSize: 8, Patience: 12));
        }

        await CreateJob().RunAsync(runId, CancellationToken.None);

        await using var check = _database.CreateContext();
        var run = await check.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Contains("model version 1", run.Message, StringComparison.Ordinal);
        var version = await check.ModelVersions.SingleAsync(v => v.ProjectId == projectId);
        Assert.Equal(1, version.Number);
        Assert.Equal(runId, version.JobRunId);
        Assert.Equal("PCNN+ATT", version.Architecture);
        // The words between the entities give the relation away: the model must find it.
        Assert.True(version.HeldOutAuc > 0.9, $"held-out AUC {version.HeldOutAuc}");
        Assert.True(version.GoldF1 > 0.9, $"gold F1 {version.GoldF1}");
        var metrics = JsonSerializer.Deserialize<ModelEvaluation>(version.Metrics, JobJson.Options)!;
        Assert.NotEmpty(metrics.HeldOut.Curve);
        Assert.Equal(3, metrics.HeldOut.PerRelation.Count + 1);
        Assert.NotEmpty(metrics.History);

        var candidates = await check.Candidates.CountAsync(c => c.ProjectId == projectId);
        var predictions = await check.Predictions.Where(p => p.ModelVersionId == version.Id).ToListAsync();
        Assert.Equal(candidates, predictions.Count);
        Assert.All(predictions, p =>
        {
            Assert.Equal(3, p.Probabilities.Length);
            Assert.Equal(1.0, p.Probabilities.Sum(), 3);
            Assert.Equal(p.Probabilities.Max(), p.Confidence);
            Assert.InRange(p.Margin, 0, p.Confidence);
        });

        // The evidence for the "why" view: one count per token of the candidate's sentence, and some token won.
        var tokenCounts = await check.Candidates.Where(c => c.ProjectId == projectId)
            .Join(check.Sentences, c => c.SentenceId, s => s.Id, (c, s) => new { c.Id, s.Tokens })
            .ToDictionaryAsync(c => c.Id, c => c.Tokens.Length);
        Assert.All(predictions, p =>
        {
            Assert.NotNull(p.TokenWins);
            Assert.Equal(tokenCounts[p.CandidateId], p.TokenWins.Length);
            Assert.Contains(p.TokenWins, w => w > 0);
            Assert.All(p.TokenWins, w => Assert.InRange(w, 0, 3 * 230));
        });
        // The diverse batch for the labelling queue: places 1…n, one each, starting at the smallest margin (no expert
        // has labelled anything yet), all among the 5 × batch smallest margins.
        var ranked = predictions.Where(p => p.DiverseRank is not null).OrderBy(p => p.DiverseRank).ToList();
        Assert.Equal(Math.Min(QueueOrders.DiverseBatchSize, candidates), ranked.Count);
        Assert.Equal(Enumerable.Range(1, ranked.Count), ranked.Select(p => p.DiverseRank!.Value));
        var byMargin = predictions.OrderBy(p => p.Margin).ThenBy(p => p.CandidateId).ToList();
        Assert.Equal(byMargin[0].CandidateId, ranked[0].CandidateId);
        var smallestMargins = byMargin.Take(5 * QueueOrders.DiverseBatchSize).Select(p => p.CandidateId).ToHashSet();
        Assert.All(ranked, p => Assert.Contains(p.CandidateId, smallestMargins));

        Assert.Equal(version.Id, (await check.RelationProjects.SingleAsync(p => p.Id == projectId)).ActiveModelVersionId);
        Assert.True(await check.AuditRecords.AnyAsync(a => a.Action == "relations.model-trained" && a.EntityId == version.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        // The stored file is the model: loaded again, it predicts what was stored.
        var file = await check.ModelFiles.SingleAsync(f => f.ModelVersionId == version.Id);
        using var model = PcnnModelFile.FromBytes(file.Content);
        Assert.Equal(["NA", "born_in", "works_for"], model.Relations);
    }

    [Fact]
    public async Task The_command_line_on_the_exported_project_reproduces_the_held_out_auc()
    {
        const double expertWeight = 3.0;
        int projectId;
        Guid runId;
        await using (var db = _database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db);
            await LabelSomeTrainingAndDevCandidatesAsync(db, projectId);
            runId = await QueueRunAsync(db, new RelationTrainingParameters(projectId, LearningRate: 0.01, Epochs: 4, BatchSize: 8, Patience: 4,
                ExpertLabelWeight: expertWeight));
        }
        await CreateJob().RunAsync(runId, CancellationToken.None);
        var directory = Directory.CreateTempSubdirectory("re-export").FullName;
        try
        {
            RelationTrainingData data;
            await using (var db = _database.CreateContext())
            {
                data = await OpenNreExport.WriteAsync(db, projectId, RelationProject.DefaultNaSamplingRatio, 42, expertWeight, directory, CancellationToken.None);
            }
            // The files hold the same examples with the same weights as the training run saw, expert labels marked.
            var exported = OpenNreFormat.Load(directory);
            Assert.Equal(Comparable(data.Corpus.Train), Comparable(exported.Train));
            Assert.Equal(Comparable(data.Corpus.Dev), Comparable(exported.Dev));
            Assert.Equal(Comparable(data.Corpus.Test), Comparable(exported.Test));
            Assert.Equal(6, data.ExpertLabelled.Count);
            Assert.Equal(6, exported.Train.Concat(exported.Dev).Count(e => e.Weight == (float)expertWeight));
            var expertLines = File.ReadLines(Path.Combine(directory, "train.txt")).Concat(File.ReadLines(Path.Combine(directory, "val.txt")))
                .Count(line => line.Contains("\"expert\":true", StringComparison.Ordinal));
            Assert.Equal(6, expertLines);

            using var output = new StringWriter();
            var exit = await RelationCommandLine.RunAsync(
                ["train", "--data", directory, "--lr", "0.01", "--epochs", "4", "--batch-size", "8", "--patience", "4", "--seed", "42", "--threads", "1"],
                1, output, TextWriter.Null, CancellationToken.None);

            Assert.Equal(0, exit);
            using var report = JsonDocument.Parse(output.ToString());
            await using var check = _database.CreateContext();
            var version = await check.ModelVersions.SingleAsync();
            Assert.Equal(version.HeldOutAuc!.Value, report.RootElement.GetProperty("test").GetProperty("auc").GetDouble(), 6);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_expert_label_beats_the_distant_label_weighs_more_and_an_undo_takes_it_back()
    {
        await using var db = _database.CreateContext();
        var projectId = await SyntheticRelations.SeedAsync(db);
        var bornIn = await db.RelationTypes.SingleAsync(r => r.ProjectId == projectId && r.Key == "born_in");
        var na = await db.RelationTypes.SingleAsync(r => r.ProjectId == projectId && r.IsNa);
        // A training candidate whose pair the knowledge base does not know (distant label NA).
        var candidate = await db.Candidates
            .Join(db.Bags, c => c.BagId, b => b.Id, (c, b) => new { c.Id, b.Split, BagId = b.Id })
            .Where(c => c.Split == DataSplit.Train && db.DistantLabels.Any(l => l.BagId == c.BagId && l.RelationTypeId == na.Id))
            .OrderBy(c => c.Id).FirstAsync();
        var label = new ExpertLabel
        {
            ProjectId = projectId,
            CandidateId = candidate.Id,
            Kind = ExpertLabelKind.Label,
            RelationTypeId = bornIn.Id,
            UserId = "u1",
            UserName = "Erin",
            CreatedAt = DateTime.UtcNow,
        };
        db.ExpertLabels.Add(label);
        await db.SaveChangesAsync();

        // NA sampling 0 drops every NA bag, but not a sentence an expert has labelled.
        var data = await RelationTrainingData.LoadAsync(db, projectId, 0, 42, 3.0, CancellationToken.None);
        var example = Assert.Single(data.Corpus.Train, e => e.Id == candidate.Id);
        Assert.Equal(bornIn.Index, example.Label);
        Assert.Equal(3f, example.Weight);

        db.ExpertLabels.Add(new ExpertLabel
        {
            ProjectId = projectId,
            CandidateId = candidate.Id,
            Kind = ExpertLabelKind.Retraction,
            UserId = "u1",
            UserName = "Erin",
            CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
        data = await RelationTrainingData.LoadAsync(db, projectId, 0, 42, 3.0, CancellationToken.None);
        Assert.DoesNotContain(data.Corpus.Train, e => e.Id == candidate.Id);
    }

    [Fact]
    public async Task A_retraining_worse_than_the_active_version_stays_a_candidate_and_a_good_one_is_promoted_with_an_audit_record()
    {
        int projectId;
        Guid goodRun, weakRun, againRun;
        await using (var db = _database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db);
            goodRun = await QueueRunAsync(db, new RelationTrainingParameters(projectId, LearningRate: 0.01, Epochs: 12, BatchSize: 8, Patience: 12));
        }
        await CreateJob().RunAsync(goodRun, CancellationToken.None);
        // A deliberately weak standing setting: one step of plain SGD at a tiny rate learns nothing.
        await using (var db = _database.CreateContext())
        {
            weakRun = await QueueRunAsync(db, new RelationTrainingParameters(projectId, Optimizer: Optimizers.Sgd, LearningRate: 1e-6, Epochs: 1,
                BatchSize: 10_000, Patience: 1, ActivateWhenDone: true));
        }
        await CreateJob().RunAsync(weakRun, CancellationToken.None);

        await using (var check = _database.CreateContext())
        {
            var versions = await check.ModelVersions.Where(v => v.ProjectId == projectId).OrderBy(v => v.Number).ToListAsync();
            Assert.Equal(2, versions.Count);
            var (good, weak) = (versions[0], versions[1]);
            Assert.Null(good.Promotion); // the first model is used at once; it asked for nothing
            Assert.Equal(PromotionOutcomes.Kept, weak.Promotion);
            Assert.Matches(@"^gold F1 0\.\d{3} is worse than active v1's (0\.9\d\d|1\.000) by [01]\.\d{3}, more than the tolerance 0\.010$", weak.PromotionReason);
            Assert.Equal(good.Id, (await check.RelationProjects.SingleAsync(p => p.Id == projectId)).ActiveModelVersionId);
            var run = await check.JobRuns.SingleAsync(r => r.Id == weakRun);
            Assert.Contains("kept as a candidate: gold F1", run.Message, StringComparison.Ordinal);
            // Only the first version's activation is on record: the weak one changed nothing.
            Assert.Contains("first model version", (await check.AuditRecords.SingleAsync(a => a.Action == "relations.model-activated")).After,
                StringComparison.Ordinal);
            var trained = await check.AuditRecords.SingleAsync(a => a.Action == "relations.model-trained" && a.EntityId == weak.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains(PromotionOutcomes.Kept, trained.After, StringComparison.Ordinal);
        }

        // The standing settings that work: not worse than v1 (measured on the same data), so the worker promotes it,
        // and writes the record a person's promotion writes.
        await using (var db = _database.CreateContext())
        {
            againRun = await QueueRunAsync(db, new RelationTrainingParameters(projectId, LearningRate: 0.01, Epochs: 12, BatchSize: 8, Patience: 12,
                Seed: 43, ActivateWhenDone: true));
        }
        await CreateJob().RunAsync(againRun, CancellationToken.None);
        await using (var check = _database.CreateContext())
        {
            var third = await check.ModelVersions.SingleAsync(v => v.ProjectId == projectId && v.Number == 3);
            Assert.Equal(PromotionOutcomes.Promoted, third.Promotion);
            Assert.StartsWith("gold F1 ", third.PromotionReason, StringComparison.Ordinal);
            Assert.Contains("is not worse than active v1's", third.PromotionReason, StringComparison.Ordinal);
            Assert.Equal(third.Id, (await check.RelationProjects.SingleAsync(p => p.Id == projectId)).ActiveModelVersionId);
            var activated = await check.AuditRecords.Where(a => a.Action == "relations.model-activated").OrderByDescending(a => a.Id).FirstAsync();
            Assert.Equal(projectId.ToString(System.Globalization.CultureInfo.InvariantCulture), activated.EntityId);
            Assert.StartsWith("system:worker ", activated.UserName, StringComparison.Ordinal);
            Assert.Contains("\"activeModelVersionId\":" + third.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), activated.After, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_warm_start_continues_from_the_active_version_and_says_so()
    {
        int projectId;
        Guid parentRun, warmRun;
        await using (var db = _database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db);
            parentRun = await QueueRunAsync(db, new RelationTrainingParameters(projectId, LearningRate: 0.01, Epochs: 6, BatchSize: 8, Patience: 6));
        }
        await CreateJob().RunAsync(parentRun, CancellationToken.None);
        await using (var db = _database.CreateContext())
        {
            warmRun = await QueueRunAsync(db, new RelationTrainingParameters(projectId, LearningRate: 0.01, Epochs: 1, BatchSize: 8, Patience: 6,
                WarmStart: true));
        }
        await CreateJob().RunAsync(warmRun, CancellationToken.None);

        await using var check = _database.CreateContext();
        var versions = await check.ModelVersions.Where(v => v.ProjectId == projectId).OrderBy(v => v.Number).ToListAsync();
        Assert.Equal(2, versions.Count);
        using var hyperparameters = JsonDocument.Parse(versions[1].Hyperparameters);
        Assert.True(hyperparameters.RootElement.GetProperty("warmStart").GetBoolean());
        Assert.Equal(1, hyperparameters.RootElement.GetProperty("warmStartedFromVersion").GetInt32());
        var run = await check.JobRuns.SingleAsync(r => r.Id == warmRun);
        Assert.Contains("model version 2 (warm-started from v1)", run.Message, StringComparison.Ordinal);
        // The parent's first epoch is this data's cold start with the same seed: the warm start begins far below it.
        var parentLoss = JsonSerializer.Deserialize<ModelEvaluation>(versions[0].Metrics, JobJson.Options)!.History[0].Loss;
        var warmLoss = JsonSerializer.Deserialize<ModelEvaluation>(versions[1].Metrics, JobJson.Options)!.History[0].Loss;
        Assert.True(warmLoss < parentLoss / 2, $"first-epoch loss warm {warmLoss}, cold {parentLoss}");
    }

    [Fact]
    public async Task A_warm_start_without_a_fitting_active_version_trains_from_scratch_and_records_why()
    {
        int projectId;
        Guid first, second;
        await using (var db = _database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db);
            first = await QueueRunAsync(db, new RelationTrainingParameters(projectId, Epochs: 1, BatchSize: 32, WarmStart: true));
        }
        await CreateJob().RunAsync(first, CancellationToken.None);
        await using (var db = _database.CreateContext())
        {
            // A new relation changes the classifier's shape: version 1 cannot start the next network.
            db.RelationTypes.Add(new RelationType { ProjectId = projectId, Key = "lives_in", Name = "lives in", Index = 3 });
            await db.SaveChangesAsync();
            second = await QueueRunAsync(db, new RelationTrainingParameters(projectId, Epochs: 1, BatchSize: 32, WarmStart: true));
        }
        await CreateJob().RunAsync(second, CancellationToken.None);

        await using var check = _database.CreateContext();
        var firstRun = await check.JobRuns.SingleAsync(r => r.Id == first);
        Assert.Equal(JobRunStatus.Succeeded, firstRun.Status);
        Assert.Contains("warm start skipped, the project has no active model version", firstRun.Message, StringComparison.Ordinal);
        var secondRun = await check.JobRuns.SingleAsync(r => r.Id == second);
        Assert.Equal(JobRunStatus.Succeeded, secondRun.Status);
        Assert.Contains("trained from scratch: warm start skipped, relation set changed (NA, born_in, works_for → NA, born_in, works_for, lives_in)",
            secondRun.Message, StringComparison.Ordinal);
        using var metrics = JsonDocument.Parse(secondRun.Metrics!);
        var warmStart = metrics.RootElement.GetProperty("warmStart");
        Assert.Equal(JsonValueKind.Null, warmStart.GetProperty("fromVersion").ValueKind);
        Assert.StartsWith("relation set changed", warmStart.GetProperty("skippedBecause").GetString(), StringComparison.Ordinal);
        var version = await check.ModelVersions.SingleAsync(v => v.ProjectId == projectId && v.Number == 2);
        using var hyperparameters = JsonDocument.Parse(version.Hyperparameters);
        Assert.Equal(JsonValueKind.Null, hyperparameters.RootElement.GetProperty("warmStartedFromVersion").ValueKind);
        Assert.StartsWith("relation set changed", hyperparameters.RootElement.GetProperty("warmStartSkipped").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_of_a_succeeded_run_stores_no_second_version()
    {
        Guid runId;
        await using (var db = _database.CreateContext())
        {
            var projectId = await SyntheticRelations.SeedAsync(db);
            runId = await QueueRunAsync(db, new RelationTrainingParameters(projectId, Epochs: 1, BatchSize: 32));
        }
        var job = CreateJob();
        await job.RunAsync(runId, CancellationToken.None);
        await job.RunAsync(runId, CancellationToken.None);

        await using var check = _database.CreateContext();
        Assert.Equal(1, await check.ModelVersions.CountAsync());
        Assert.Equal(1, (await check.JobRuns.SingleAsync(r => r.Id == runId)).Attempts);
    }

    [Fact]
    public async Task A_project_whose_bags_are_all_NA_is_refused_with_a_clear_message()
    {
        Guid runId;
        await using (var db = _database.CreateContext())
        {
            var projectId = await SyntheticRelations.SeedAsync(db);
            var na = await db.RelationTypes.SingleAsync(r => r.ProjectId == projectId && r.IsNa);
            await db.DistantLabels.ExecuteUpdateAsync(s => s.SetProperty(l => l.RelationTypeId, na.Id));
            runId = await QueueRunAsync(db, new RelationTrainingParameters(projectId));
        }

        await CreateJob().RunAsync(runId, CancellationToken.None);

        await using var check = _database.CreateContext();
        var run = await check.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Contains("every bag is NA", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_without_candidates_fails_with_a_clear_message()
    {
        Guid runId;
        await using (var db = _database.CreateContext())
        {
            var project = await RelationProjects.CreateAsync(db, "empty", "", "test", CancellationToken.None);
            runId = await QueueRunAsync(db, new RelationTrainingParameters(project.Id));
        }

        // Bad data is not worth a retry: the job reports it and returns.
        await CreateJob().RunAsync(runId, CancellationToken.None);

        await using var check = _database.CreateContext();
        var run = await check.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Contains("no candidates yet", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, await check.ModelVersions.CountAsync());
    }

    [Fact]
    public async Task What_expert_labels_bought_is_measured_per_seed_against_the_label_free_twin_on_the_same_sentences()
    {
        int projectId;
        Guid runId;
        await using (var db = _database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db);
            var project = await db.RelationProjects.SingleAsync(p => p.Id == projectId);
            project.StandingTraining = StandingTraining.Serialize(new RelationTrainingParameters(projectId, LearningRate: 0.01, Epochs: 8, BatchSize: 8,
                Patience: 8, ExpertLabelWeight: 5));
            // Careless experts: every training and dev candidate labelled works_for, whatever it says. The twin never sees them.
            var na = await db.RelationTypes.SingleAsync(r => r.ProjectId == projectId && r.Key == "works_for");
            var labelled = await db.Candidates.Where(c => c.ProjectId == projectId).Join(db.Bags, c => c.BagId, b => b.Id, (c, b) => new { c.Id, b.Split })
                .Where(c => c.Split != DataSplit.Test).Select(c => c.Id).ToListAsync();
            db.ExpertLabels.AddRange(labelled.Select(id => new ExpertLabel
            {
                ProjectId = projectId,
                CandidateId = id,
                Kind = ExpertLabelKind.Label,
                RelationTypeId = na.Id,
                UserId = "u1",
                UserName = "Erin",
                DurationMs = 6_000,
                CreatedAt = DateTime.UtcNow.AddMinutes(-1),
            }));
            var run = new JobRun
            {
                Id = Guid.CreateVersion7(),
                Kind = JobKinds.ExpertValue,
                Status = JobRunStatus.Queued,
                Parameters = JsonSerializer.Serialize(new ExpertValueParameters(projectId, Seeds: 2), JobJson.Options),
                RequestedByName = "Ada Admin",
                CreatedAt = DateTime.UtcNow,
            };
            db.JobRuns.Add(run);
            await db.SaveChangesAsync();
            runId = run.Id;
        }
        var factory = _database.CreateFactory();
        var devices = new TorchDevices(Options.Create(new WorkerOptions { TorchThreads = 1 }), NullLogger<TorchDevices>.Instance);
        await new ExpertValueJob(factory, new JobRunReporter(factory, TimeProvider.System), new AuditTrail(TimeProvider.System), devices,
            NullLogger<ExpertValueJob>.Instance).RunAsync(runId, CancellationToken.None);

        await using var check = _database.CreateContext();
        var finished = await check.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.True(finished.Status == JobRunStatus.Succeeded, finished.Error);
        var result = JsonSerializer.Deserialize<ExpertValueResult>(finished.Metrics!, JobJson.Options)!;
        Assert.Equal(ModelPromotion.GoldF1, result.Measure);
        Assert.Equal([42, 43], result.Pairs.Select(p => p.Seed));
        Assert.True(result.ExpertLabelsInTraining > 50, $"{result.ExpertLabelsInTraining} labels in training");
        // The twin learns the relations from the distant labels; the careless labels cost F1 — a figure that says so.
        Assert.All(result.Pairs, p => Assert.True(p.WithoutLabels > 0.9, $"seed {p.Seed}: without {p.WithoutLabels}"));
        Assert.All(result.Pairs, p => Assert.True(p.Gain < -0.1, $"seed {p.Seed}: with {p.WithLabels}, without {p.WithoutLabels}"));
        Assert.NotNull(result.SeedSpread);
        // The settings are the standing ones.
        Assert.Equal((8, 8, 5.0), (result.Settings.Epochs, result.Settings.BatchSize, result.Settings.ExpertLabelWeight));
        Assert.True(result.ExpertMinutes > 0);
        Assert.Contains("expert labels bought -", finished.Message, StringComparison.Ordinal);
        // A study: no model version, the active model untouched.
        Assert.Equal(0, await check.ModelVersions.CountAsync(v => v.ProjectId == projectId));
    }

    /// <summary>An example's content without its id (the export keeps the candidate id, the reader numbers lines).</summary>
    private static List<string> Comparable(IEnumerable<RelationExample> examples) =>
        [.. examples.Select(e => FormattableString.Invariant($"{string.Join(' ', e.Tokens)}|{e.HeadStart}:{e.HeadEnd}|{e.TailStart}:{e.TailEnd}|{e.Label}|{e.BagKey}|{e.Weight}"))];

    /// <summary>Experts label three training and three dev candidates "works_for", whatever their distant label.</summary>
    private static async Task LabelSomeTrainingAndDevCandidatesAsync(AppDbContext db, int projectId)
    {
        var worksFor = await db.RelationTypes.SingleAsync(r => r.ProjectId == projectId && r.Key == "works_for");
        var candidates = new List<long>();
        foreach (var split in new[] { DataSplit.Train, DataSplit.Dev })
        {
            candidates.AddRange(await db.Candidates.Where(c => c.ProjectId == projectId).Join(db.Bags, c => c.BagId, b => b.Id, (c, b) => new { c.Id, b.Split })
                .Where(c => c.Split == split).OrderBy(c => c.Id).Select(c => c.Id).Take(3).ToListAsync());
        }
        db.ExpertLabels.AddRange(candidates.Select(id => new ExpertLabel
        {
            ProjectId = projectId,
            CandidateId = id,
            Kind = ExpertLabelKind.Label,
            RelationTypeId = worksFor.Id,
            UserId = "u1",
            UserName = "Erin",
            CreatedAt = DateTime.UtcNow,
        }));
        await db.SaveChangesAsync();
    }
}
