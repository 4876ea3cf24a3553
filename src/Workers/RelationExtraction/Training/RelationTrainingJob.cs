using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.ActiveLearning;
using WebApp.Domain.RelationExtraction.Labeling;
using WebApp.Domain.Training;
using WebApp.Workers.Training;
using StoredPrPoint = WebApp.Domain.RelationExtraction.PrPoint;
using StoredSentenceEvaluation = WebApp.Domain.RelationExtraction.SentenceEvaluation;

namespace WebApp.Workers.RelationExtraction.Training;

/// <summary>
/// The Hangfire job behind <see cref="IRelationTrainingJob"/>: loads the project's candidates, trains a PCNN
/// with live progress, evaluates it, scores every candidate, and stores the model version, its file and all
/// predictions in one transaction, so a killed worker leaves no half-written version behind.
/// </summary>
public sealed class RelationTrainingJob(
    IDbContextFactory<AppDbContext> dbFactory,
    JobRunReporter reporter,
    AuditTrail audit,
    TorchDevices devices,
    ILogger<RelationTrainingJob> logger) : IRelationTrainingJob
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(Guid jobRunId, CancellationToken cancellationToken)
    {
        if (await reporter.PendingAsync(jobRunId, cancellationToken) is not { } run) return; // a retry after the commit
        var parameters = JsonSerializer.Deserialize<RelationTrainingParameters>(run.Parameters ?? "{}", JobJson.Options)
            ?? throw new InvalidOperationException("The run has no parameters.");

        var host = JobRunReporter.WorkerHost;
        await reporter.StartAsync(jobRunId, devices.Description, host, parameters.Epochs, cancellationToken);
        var checkpoints = Path.Combine(Path.GetTempPath(), "webapp-checkpoints", jobRunId.ToString());
        try
        {
            await reporter.ProgressAsync(jobRunId, 0, null, "loading candidates", cancellationToken);
            RelationTrainingData data;
            double naRatio;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var project = await db.RelationProjects.AsNoTracking().SingleAsync(p => p.Id == parameters.ProjectId, cancellationToken);
                naRatio = parameters.NaSamplingRatio ?? project.NaSamplingRatio;
                data = await RelationTrainingData.LoadAsync(db, project.Id, naRatio, parameters.Seed, parameters.ExpertLabelWeight, cancellationToken);
            }
            var problems = Problems(data).ToList();
            if (problems.Count > 0) throw new InvalidDataException(string.Join(" ", problems));

            var options = ToOptions(parameters);
            var (parent, parentNumber, warmStartSkipped) = parameters.WarmStart
                ? await LoadParentAsync(parameters.ProjectId, cancellationToken)
                : (null, null, null);
            var lastReport = Stopwatch.StartNew();
            using var parentModel = parent;
            using var result = await PcnnTrainer.TrainAsync(data.Corpus, options, devices.Device, async (p, ct) =>
            {
                if (!p.EpochCompleted && lastReport.Elapsed < ProgressInterval) return;
                lastReport.Restart();
                var message = string.Create(CultureInfo.InvariantCulture,
                    $"epoch {p.Epoch}/{p.Epochs} · step {p.Step}/{p.Steps}{(p.DevAuc is { } auc ? $" · dev AUC {auc:F3}" : "")}");
                await reporter.ProgressAsync(jobRunId, (p.Epoch - 1) * p.Steps + p.Step, p.Loss, message, ct, p.Epochs * p.Steps,
                    p.DevAuc is { } devAuc ? new DevMetric("dev AUC", devAuc) : null);
            }, checkpoints, parent, cancellationToken);
            var warmStart = new WarmStartRecord(
                parameters.WarmStart, result.WarmStart?.Applied == true ? parentNumber : null,
                warmStartSkipped ?? result.WarmStart?.SkippedBecause, result.WarmStart?.WordsCarried ?? 0);
            if (warmStart.SkippedBecause is { } skipped)
            {
                logger.LogInformation("Relation training {JobRunId}: warm start skipped: {Reason}.", jobRunId, skipped);
            }

            await reporter.ProgressAsync(jobRunId, 0, null, "scoring every candidate", cancellationToken);
            var scoringClock = Stopwatch.StartNew();
            var scorer = new PcnnScorer(result.Model, devices.Device);
            var evaluation = Evaluate(scorer, data, result, out var analyses);
            var scoringSeconds = scoringClock.Elapsed.TotalSeconds;
            var modelBytes = PcnnModelFile.ToBytes(result.Model);
            ActiveBaseline? baseline = null;
            if (parameters.ActivateWhenDone)
            {
                await reporter.ProgressAsync(jobRunId, 0, null, "measuring the active version on the same data", cancellationToken);
                baseline = await MeasureActiveAsync(parameters.ProjectId, data, cancellationToken);
            }

            var version = await CompleteAsync(jobRunId, parameters, options, data, result, evaluation, analyses, modelBytes, host,
                scoringSeconds, warmStart, baseline, cancellationToken);
            logger.LogInformation("Relation training {JobRunId} stored model version {Number}: held-out AUC {Auc:F3}.",
                jobRunId, version.Number, evaluation.HeldOut.Auc);
        }
        catch (InvalidDataException e)
        {
            // The project's data cannot train a model: a retry would fail the same way, so none is asked for.
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            logger.LogWarning("Relation training {JobRunId} refused: {Reason}", jobRunId, e.Message);
        }
        catch (Exception e)
        {
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            throw;
        }
        finally
        {
            if (Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);
        }
    }

    /// <summary>What a run asked of the warm start and what it got, for the version's hyperparameters and the run's metrics.</summary>
    private sealed record WarmStartRecord(bool Requested, int? FromVersion, string? SkippedBecause, int WordsCarried)
    {
        public string Describe() =>
            !Requested ? ""
            : FromVersion is { } from ? string.Create(CultureInfo.InvariantCulture, $" (warm-started from v{from})")
            : $" (trained from scratch: warm start skipped, {SkippedBecause})";
    }

    private sealed record ActiveVersion(int Id, int Number, double? GoldF1, double? HeldOutAuc, byte[] Content);

    /// <summary>The project's active version with its file; null when it has none.</summary>
    private async Task<ActiveVersion?> LoadActiveAsync(int projectId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (
            from p in db.RelationProjects.AsNoTracking()
            where p.Id == projectId
            join v in db.ModelVersions on p.ActiveModelVersionId equals v.Id
            join f in db.ModelFiles on v.Id equals f.ModelVersionId
            select new ActiveVersion(v.Id, v.Number, v.GoldF1, v.HeldOutAuc, f.Content)).SingleOrDefaultAsync(ct);
    }

    /// <summary>The project's active model, to warm-start from; or why there is none to use.</summary>
    private async Task<(PcnnTrainedModel? Parent, int? Number, string? SkippedBecause)> LoadParentAsync(int projectId, CancellationToken ct)
    {
        var active = await LoadActiveAsync(projectId, ct);
        if (active is null) return (null, null, "the project has no active model version");
        try
        {
            return (PcnnModelFile.FromBytes(active.Content), active.Number, null);
        }
        catch (InvalidDataException e)
        {
            return (null, null, $"the file of version {active.Number.ToString(CultureInfo.InvariantCulture)} cannot be read ({e.Message})");
        }
    }

    /// <summary>The active version when the run started comparing, measured on the candidate's evaluation data.</summary>
    private sealed record ActiveBaseline(int VersionId, int Number, HeldOutMeasure Measure, string? Note);

    /// <summary>
    /// Re-scores the project's active version on this run's held-out data, so both sides of the promotion rule are
    /// measured on the same sentences; where its network cannot read them (the relations changed), its stored figures
    /// stand in and the reason says so. Null when the project has no active version.
    /// </summary>
    private async Task<ActiveBaseline?> MeasureActiveAsync(int projectId, RelationTrainingData data, CancellationToken ct)
    {
        var active = await LoadActiveAsync(projectId, ct);
        if (active is null) return null;
        var stored = new HeldOutMeasure(active.GoldF1, active.HeldOutAuc ?? 0);
        PcnnTrainedModel model;
        try
        {
            model = PcnnModelFile.FromBytes(active.Content);
        }
        catch (InvalidDataException e)
        {
            return new ActiveBaseline(active.Id, active.Number, stored, $"its file cannot be read ({e.Message}): its stored figures were used");
        }
        using (model)
        {
            if (!model.Relations.SequenceEqual(data.Corpus.Relations, StringComparer.Ordinal))
            {
                return new ActiveBaseline(active.Id, active.Number, stored, "its relations differ from the project's now: its stored figures were used");
            }
            return new ActiveBaseline(active.Id, active.Number, HeldOutMeasurement.Of(new PcnnScorer(model, devices.Device), data), null);
        }
    }

    public static IEnumerable<string> Problems(RelationTrainingData data)
    {
        if (data.AllCandidates.Count == 0)
        {
            yield return "The project has no candidates yet: import sentences first.";
            yield break;
        }
        if (!data.Corpus.Train.Any(e => e.Label != 0))
        {
            yield return "No training pair has a knowledge-base relation, so every bag is NA: import a knowledge base " +
                "whose facts name the entity pairs of the sentences.";
        }
        if (data.Corpus.Test.Count == 0) yield return "The test split is empty: import more sentences.";
        foreach (var problem in data.Corpus.Validate()) yield return problem;
    }

    public static PcnnOptions ToOptions(RelationTrainingParameters p) => new()
    {
        Aggregation = p.Aggregation switch
        {
            BagAggregations.One => BagAggregation.One,
            BagAggregations.Average => BagAggregation.Avg,
            _ => BagAggregation.Att,
        },
        Optimizer = p.Optimizer == Optimizers.Sgd ? PcnnOptimizer.Sgd : PcnnOptimizer.Adam,
        LearningRate = p.LearningRate,
        Epochs = p.Epochs,
        BatchSize = p.BatchSize,
        Patience = p.Patience,
        Dropout = p.Dropout,
        Seed = p.Seed,
    };

    /// <summary>Held-out evaluation on the test pairs, and sentence level against gold where it exists.</summary>
    private static ModelEvaluation Evaluate(PcnnScorer scorer, RelationTrainingData data, PcnnTrainingResult result,
        out SentenceAnalysis[] analyses)
    {
        var relations = data.Corpus.Relations;
        // With the pooling winners per token: the evidence the labelling page shows next to the prediction.
        analyses = scorer.Analyse(data.AllCandidates);
        var byId = new Dictionary<long, float[]>(data.AllCandidates.Count);
        for (var i = 0; i < data.AllCandidates.Count; i++) byId[data.AllCandidates[i].Id] = analyses[i].Probabilities;

        StoredSentenceEvaluation? gold = null;
        if (data.TestGold.Count > 0)
        {
            var ids = data.TestGold.Keys.ToList();
            var sentences = RelationMetrics.Sentences(ids.Select(id => ArgMax(byId[id])).ToList(),
                ids.Select(id => data.TestGold[id]).ToList(), relations);
            gold = new StoredSentenceEvaluation(sentences.MicroPrecision, sentences.MicroRecall, sentences.MicroF1, sentences.Sentences,
                sentences.PerRelation.Select(r => new RelationScore(r.Relation, r.Precision, r.Recall, r.F1, r.Support)).ToList());
        }
        var heldOut = RelationMetrics.HeldOut(scorer.ScoreBags(data.Corpus.Test), RelationMetrics.GoldLabels(data.Corpus.Test), relations);
        return new ModelEvaluation(
            new HeldOutEvaluation(heldOut.Auc, heldOut.PrecisionAt100, heldOut.PrecisionAt200, heldOut.PrecisionAt300,
                heldOut.MaxF1, heldOut.MaxF1Threshold, heldOut.Facts,
                heldOut.PrCurve.Select(p => new StoredPrPoint(p.Recall, p.Precision)).ToList(),
                heldOut.PerRelation.Select(r => new RelationScore(r.Relation, r.Precision, r.Recall, r.F1, r.Support)).ToList()),
            gold,
            result.History.Select(h => new EpochRecord(h.Epoch, h.MeanLoss, h.DevAuc ?? 0, h.Seconds)).ToList(),
            result.BestEpoch);
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private async Task<ModelVersion> CompleteAsync(Guid jobRunId, RelationTrainingParameters parameters, PcnnOptions options,
        RelationTrainingData data, PcnnTrainingResult result, ModelEvaluation evaluation, SentenceAnalysis[] analyses, byte[] modelBytes,
        string host, double scoringSeconds, WarmStartRecord warmStart, ActiveBaseline? baseline, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var projectId = parameters.ProjectId;
        // Two runs of one project finishing at once must not take the same version number.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(4242, {projectId})", ct);
        var run = await db.JobRuns.SingleAsync(r => r.Id == jobRunId, ct);
        var number = (await db.ModelVersions.Where(v => v.ProjectId == projectId).MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;
        var version = new ModelVersion
        {
            ProjectId = projectId,
            Number = number,
            JobRunId = jobRunId,
            Architecture = $"PCNN+{parameters.Aggregation.ToUpperInvariant()}",
            Hyperparameters = JsonSerializer.Serialize(new
            {
                parameters.Aggregation,
                parameters.Optimizer,
                learningRate = options.EffectiveLearningRate,
                weightDecay = options.EffectiveWeightDecay,
                parameters.Epochs,
                parameters.BatchSize,
                parameters.Patience,
                parameters.Dropout,
                parameters.Seed,
                options.WordDim,
                options.PositionDim,
                options.MaxLength,
                options.Window,
                options.Filters,
                vocabulary = result.Model.Vocabulary.Count,
                parameters.WarmStart,
                warmStartedFromVersion = warmStart.FromVersion,
                warmStartSkipped = warmStart.SkippedBecause,
            }, JobJson.Options),
            DataSnapshot = JsonSerializer.Serialize(data.Snapshot, JobJson.Options),
            Metrics = JsonSerializer.Serialize(evaluation, JobJson.Options),
            HeldOutAuc = evaluation.HeldOut.Auc,
            GoldF1 = evaluation.Gold?.F1,
            Device = devices.Description,
            TrainingSeconds = result.TrainingSeconds,
            ModelSizeBytes = modelBytes.Length,
            CreatedAt = DateTime.UtcNow,
            CreatedByName = run.RequestedByName,
        };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync(ct);
        db.ModelFiles.Add(new ModelFile { ModelVersionId = version.Id, Content = modelBytes });
        await db.SaveChangesAsync(ct);
        var writeClock = Stopwatch.StartNew();
        await WritePredictionsAsync(db, version.Id, data, analyses, ct);
        var predictionsWriteSeconds = writeClock.Elapsed.TotalSeconds;

        var project = await db.RelationProjects.SingleAsync(p => p.Id == projectId, ct);
        var decision = Decide(parameters, project, baseline, evaluation);
        if (decision is not null)
        {
            version.Promotion = decision.Outcome;
            version.PromotionReason = decision.Reason;
        }
        var activeBefore = project.ActiveModelVersionId;
        // The first model is used at once; a run that asks to be used (automatic retraining) only when the rule allows;
        // others are candidates an admin promotes by hand.
        if (decision?.Promote == true || project.ActiveModelVersionId is null) project.ActiveModelVersionId = version.Id;
        var before = new { run.Status };
        reporter.MarkSucceeded(run, JsonSerializer.Serialize(new
        {
            modelVersion = number,
            heldOutAuc = evaluation.HeldOut.Auc,
            evaluation.HeldOut.PrecisionAt100,
            evaluation.HeldOut.MaxF1,
            goldF1 = evaluation.Gold?.F1,
            epochs = result.EpochsRun,
            result.BestEpoch,
            result.TrainSentencesPerSecond,
            result.TrainingSeconds,
            scoringSeconds,
            predictionsWriteSeconds,
            warmStart = warmStart.Requested ? warmStart : null,
            promotion = decision is null ? null : new { decision.Outcome, decision.Measure, decision.Candidate, decision.Active, decision.Reason },
        }, JobJson.Options), string.Create(CultureInfo.InvariantCulture,
            $"model version {number}{warmStart.Describe()}: held-out AUC {evaluation.HeldOut.Auc:F3}{(evaluation.Gold is { } g ? $", gold F1 {g.F1:F3}" : "")} in {result.TrainingSeconds:F0} s{Describe(decision)}"));
        await db.SaveChangesAsync(ct);
        var actor = AuditActor.System($"worker {host}");
        await audit.RecordAsync(db, actor, "relations.model-trained", nameof(ModelVersion),
            version.Id.ToString(CultureInfo.InvariantCulture), before,
            new { version.ProjectId, version.Number, version.Architecture, version.HeldOutAuc, version.GoldF1, jobRunId, version.Promotion, version.PromotionReason }, ct);
        if (project.ActiveModelVersionId != activeBefore)
        {
            // The same record a person's promotion writes (RelationQueries.SetActiveModelAsync), with the rule's reason.
            await audit.RecordAsync(db, actor, "relations.model-activated", nameof(RelationProject),
                project.Id.ToString(CultureInfo.InvariantCulture),
                new { ActiveModelVersionId = activeBefore },
                new { ActiveModelVersionId = version.Id, version.Number, Reason = version.PromotionReason ?? "the project's first model version" }, ct);
        }
        await transaction.CommitAsync(ct);
        await JobRunReporter.NotifyAsync(db, jobRunId, ct);
        return version;
    }

    /// <summary>
    /// The promotion rule for a run that asked to be used; null for one that did not. When the active version changed
    /// while this run trained (an admin chose another), the comparison no longer holds: the new version stays a candidate.
    /// </summary>
    private static PromotionDecision? Decide(RelationTrainingParameters parameters, RelationProject project, ActiveBaseline? baseline,
        ModelEvaluation evaluation)
    {
        if (!parameters.ActivateWhenDone) return null;
        var candidate = new HeldOutMeasure(evaluation.Gold?.F1, evaluation.HeldOut.Auc);
        if (project.ActiveModelVersionId is null) return ModelPromotion.Decide(candidate, null, null, project.PromotionTolerance);
        if (baseline is null || baseline.VersionId != project.ActiveModelVersionId)
        {
            return new PromotionDecision(false, ModelPromotion.HeldOutAuc, candidate.HeldOutAuc, null,
                "the active version changed while this one trained, so it was not compared with it: promote it by hand if it is better");
        }
        var decision = ModelPromotion.Decide(candidate, baseline.Measure, baseline.Number, project.PromotionTolerance);
        return baseline.Note is { } note ? decision with { Reason = $"{decision.Reason}; v{baseline.Number.ToString(CultureInfo.InvariantCulture)}: {note}" } : decision;
    }

    private static string Describe(PromotionDecision? decision) => decision switch
    {
        null => "",
        { Promote: true } => $" · promoted: {decision.Reason}",
        _ => $" · kept as a candidate: {decision.Reason}",
    };

    private static async Task WritePredictionsAsync(AppDbContext db, int versionId, RelationTrainingData data, SentenceAnalysis[] analyses,
        CancellationToken ct)
    {
        var diverseRanks = DiverseRanks(data, analyses);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY \"Predictions\" (\"ModelVersionId\", \"CandidateId\", \"Probabilities\", \"TopRelationTypeId\", \"Confidence\", \"Margin\", \"Entropy\", \"TokenWins\", \"DiverseRank\") FROM STDIN (FORMAT BINARY)",
            ct);
        for (var i = 0; i < analyses.Length; i++)
        {
            var p = analyses[i].Probabilities;
            var (top, second) = TopTwo(p);
            var entropy = 0.0;
            foreach (var x in p) if (x > 0) entropy -= x * Math.Log(x);
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(versionId, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(data.AllCandidates[i].Id, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(p, NpgsqlDbType.Array | NpgsqlDbType.Real, ct);
            await writer.WriteAsync(data.Relations[top].Id, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(p[top], NpgsqlDbType.Real, ct);
            await writer.WriteAsync(p[top] - (second < 0 ? 0 : p[second]), NpgsqlDbType.Real, ct);
            await writer.WriteAsync((float)entropy, NpgsqlDbType.Real, ct);
            // At most 3 × filters (≤ 12288) wins per token: a smallint holds it.
            await writer.WriteAsync(Array.ConvertAll(analyses[i].PoolingWins, w => (short)w), NpgsqlDbType.Array | NpgsqlDbType.Smallint, ct);
            if (diverseRanks.TryGetValue(data.AllCandidates[i].Id, out var rank)) await writer.WriteAsync(rank, NpgsqlDbType.Integer, ct);
            else await writer.WriteNullAsync(ct);
        }
        await writer.CompleteAsync(ct);
    }

    /// <summary>
    /// The diverse batch the labelling queue can serve (<see cref="QueueOrders.Diverse"/>): among the candidates no
    /// expert has labelled yet, k-center greedy on the sentence representations over the smallest margins, the same
    /// selection the learning-curve simulation measures. Candidate id → place, 1 first.
    /// </summary>
    public static Dictionary<long, int> DiverseRanks(RelationTrainingData data, SentenceAnalysis[] analyses)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(analyses);
        var pool = new List<PoolItem>(analyses.Length);
        for (var i = 0; i < analyses.Length; i++)
        {
            var id = data.AllCandidates[i].Id;
            if (!data.ExpertLabelled.Contains(id)) pool.Add(new PoolItem(id, analyses[i].Probabilities, analyses[i].Representation));
        }
        var batch = QueryStrategies.Select(pool, QueryStrategy.DiverseMargin, QueueOrders.DiverseBatchSize, seed: 0);
        return batch.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index + 1);
    }

    private static (int Top, int Second) TopTwo(float[] p)
    {
        int top = 0, second = -1;
        for (var i = 1; i < p.Length; i++)
        {
            if (p[i] > p[top]) (second, top) = (top, i);
            else if (second < 0 || p[i] > p[second]) second = i;
        }
        return (top, second);
    }
}
