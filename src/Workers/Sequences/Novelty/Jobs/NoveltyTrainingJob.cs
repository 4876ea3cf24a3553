using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;
using WebApp.Workers.Training;

namespace WebApp.Workers.Sequences.Novelty.Jobs;

/// <summary>
/// The Hangfire job behind <see cref="INoveltyTrainingJob"/>: trains one model of a set (a cluster's, or the global
/// one) on the cluster's training sequences, split into training and validation by a seeded shuffle. The model row is
/// Training while the job runs and becomes Ready in the one transaction that stores its weights, validation scores,
/// threshold, the run's success and the audit record. The job that completes the set's last model evaluates the set.
/// </summary>
public sealed class NoveltyTrainingJob(
    IDbContextFactory<AppDbContext> dbFactory,
    JobRunReporter reporter,
    AuditTrail audit,
    TorchDevices devices,
    ModelSetEvaluator evaluator,
    ILogger<NoveltyTrainingJob> logger) : INoveltyTrainingJob
{
    public const string AuditAction = "novelty.model-trained";
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(Guid jobRunId, CancellationToken cancellationToken)
    {
        if (await reporter.PendingAsync(jobRunId, cancellationToken) is not { } run) return; // a retry after the commit

        var host = JobRunReporter.WorkerHost;
        var parameters = JsonSerializer.Deserialize<NoveltyTrainingParameters>(run.Parameters ?? "null", JobJson.Options);
        try
        {
            if (parameters is null) throw new InvalidDataException("The run has no training parameters.");
            var (set, settings, sequences, vocabularySize) = await LoadAsync(parameters, cancellationToken);
            var totalSteps = settings.EmbeddingSizes.Length * settings.HiddenSizes.Length * settings.MaxEpochs;
            await reporter.StartAsync(jobRunId, devices.Description, host, totalSteps, cancellationToken);
            var modelId = await MarkTrainingAsync(parameters, jobRunId, cancellationToken);
            if (modelId is null)
            {
                await SucceedAlreadyTrainedAsync(jobRunId, cancellationToken);
                return;
            }

            var (train, validation) = NextEventTrainer.SplitValidation(sequences, settings.ValidationShare, settings.Seed);
            if (train.Count == 0 || validation.Count == 0)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{sequences.Count} training sequences are too few to hold some out for validation."));
            }
            await reporter.ProgressAsync(jobRunId, 0, null, string.Create(CultureInfo.InvariantCulture,
                $"training on {train.Count:N0} sequences, {validation.Count:N0} held out"), cancellationToken);
            var result = await TrainAsync(jobRunId, train, validation, vocabularySize, settings, cancellationToken);
            var threshold = NoveltyMath.Threshold(result.ValidationScores, set.TargetFalsePositiveRate);
            var stored = await StoreAsync(run, modelId.Value, parameters, train.Count, result, threshold, host, cancellationToken);
            if (!stored) return;
            logger.LogInformation("Novelty model {ModelId} of set {SetId} (cluster {ClusterId}) ready: validation perplexity {Perplexity:F3}.",
                modelId, set.Id, parameters.ClusterId, result.ValidationPerplexity);
            await evaluator.EvaluateIfCompleteAsync(set.Id, host, jobRunId, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            // The data cannot train this model: a retry would fail the same way, so none is asked for.
            await FailModelAsync(jobRunId, e.Message);
            logger.LogWarning("Novelty training {JobRunId} refused: {Reason}", jobRunId, e.Message);
            // This cluster's sequences go to the global model; if it was the set's last model, the set is complete.
            if (parameters is not null) await evaluator.EvaluateIfCompleteAsync(parameters.ModelSetId, host, jobRunId, CancellationToken.None);
        }
        catch (JobRunCancelledException)
        {
            await FailModelAsync(jobRunId, "");
            // As with a cluster too small to train: the global model scores its sequences, and the set may be complete.
            if (parameters is not null) await evaluator.EvaluateIfCompleteAsync(parameters.ModelSetId, host, jobRunId, CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            await FailModelAsync(jobRunId, e.Message);
            throw;
        }
    }

    private async Task<(NoveltyModelSet Set, NoveltyTrainingSettings Settings, List<int[]> Sequences, int VocabularySize)> LoadAsync(
        NoveltyTrainingParameters parameters, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.NoveltyModelSets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == parameters.ModelSetId, ct)
            ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Model set {parameters.ModelSetId} does not exist."));
        var settings = JsonSerializer.Deserialize<NoveltyTrainingSettings>(set.Parameters, JobJson.Options)
            ?? throw new InvalidDataException("The model set has no training settings.");
        var sequences = await TrainingSequencesAsync(db, set, parameters.ClusterId, ct);
        var vocabularySize = await db.SequenceEventTypes.CountAsync(e => e.DatasetId == set.DatasetId, ct);
        return (set, settings, sequences, vocabularySize);
    }

    /// <summary>The cluster's training sequences (all of the dataset's for the global model), in a stable order for the seeded split.</summary>
    public static async Task<List<int[]>> TrainingSequencesAsync(AppDbContext db, NoveltyModelSet set, int? clusterId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(set);
        var train = db.EventSequences.AsNoTracking().Where(s => s.DatasetId == set.DatasetId && s.Part == SequenceParts.Train);
        if (clusterId is { } id)
        {
            train = from sequence in train
                    join assignment in db.SequenceAssignments on sequence.Id equals assignment.SequenceId
                    where assignment.ClusteringId == set.ClusteringId && assignment.ClusterId == id
                    select sequence;
        }
        return await train.OrderBy(s => s.Id).Select(s => s.Events).ToListAsync(ct);
    }

    /// <summary>Writes (or re-marks, on a retry) the model row as Training; null when the cluster's model is already Ready.</summary>
    private async Task<int?> MarkTrainingAsync(NoveltyTrainingParameters parameters, Guid jobRunId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = DateTime.UtcNow;
        // One row per (set, cluster): the unique index (nulls not distinct) makes a retry or a second attempt reuse it.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "NoveltyModels" ("ModelSetId", "ClusterId", "Status", "JobRunId", "Hyperparameters", "TrainSequences",
                "ValidationSequences", "ValidationScores", "Device", "TrainingSeconds", "CreatedAt")
            VALUES ({parameters.ModelSetId}, {parameters.ClusterId}, {nameof(NoveltyModelStatus.Training)}, {jobRunId}, {"{}"}::jsonb, 0, 0,
                {Array.Empty<float>()}, '', 0, {now})
            ON CONFLICT ("ModelSetId", "ClusterId") DO UPDATE SET "Status" = EXCLUDED."Status", "JobRunId" = EXCLUDED."JobRunId"
            WHERE "NoveltyModels"."Status" <> {nameof(NoveltyModelStatus.Ready)}
            """, ct);
        var model = await db.NoveltyModels.AsNoTracking()
            .SingleAsync(m => m.ModelSetId == parameters.ModelSetId && m.ClusterId == parameters.ClusterId, ct);
        return model.Status == NoveltyModelStatus.Ready ? null : model.Id;
    }

    private async Task<NextEventTrainingResult> TrainAsync(Guid jobRunId, IReadOnlyList<int[]> train, IReadOnlyList<int[]> validation,
        int vocabularySize, NoveltyTrainingSettings settings, CancellationToken ct)
    {
        var options = new NextEventTrainingSettings
        {
            EmbeddingSizes = settings.EmbeddingSizes,
            HiddenSizes = settings.HiddenSizes,
            Layers = settings.Layers,
            LearningRate = settings.LearningRate,
            BatchSize = settings.BatchSize,
            MaxEpochs = settings.MaxEpochs,
            Patience = settings.Patience,
            Seed = settings.Seed,
        };
        NextEventProgress? latest = null;
        var progress = new Progress<NextEventProgress>(p => Volatile.Write(ref latest, p));
        // Training is synchronous; the progress it reports is written to the job run twice a second meanwhile. A report
        // that fails (an Admin's cancel, the database gone) stops the training at its next batch before it propagates.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var training = Task.Run(() => NextEventTrainer.Train(train, validation, vocabularySize, options, devices.Device, progress, stop.Token), stop.Token);
        NextEventProgress? reported = null;
        try
        {
            while (!training.IsCompleted)
            {
                await Task.WhenAny(training, Task.Delay(ProgressInterval, ct));
                if (Volatile.Read(ref latest) is { } now && now != reported)
                {
                    reported = now;
                    var step = (now.GridIndex * now.MaxEpochs) + now.Epoch;
                    var message = string.Create(CultureInfo.InvariantCulture,
                        $"grid point {now.GridIndex + 1}/{now.GridSize} (embedding {now.EmbeddingSize}, hidden {now.HiddenSize}) · epoch {now.Epoch}/{now.MaxEpochs} · validation perplexity {now.ValidationPerplexity:F3}");
                    await reporter.ProgressAsync(jobRunId, step, now.TrainingLoss, message, ct,
                        devMetric: new DevMetric("validation perplexity", now.ValidationPerplexity));
                }
            }
        }
        catch (Exception) when (!training.IsCompleted)
        {
            await stop.CancelAsync();
            await Task.WhenAny(training); // wait for the loop to leave its batch; its cancellation is not the error to report
            throw;
        }
        return await training;
    }

    /// <summary>Stores the model Ready with its file, the run's success and the audit record; false when another attempt already did.</summary>
    private async Task<bool> StoreAsync(JobRun run, int modelId, NoveltyTrainingParameters parameters, int trainCount,
        NextEventTrainingResult result, double threshold, string host, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tracked = await db.JobRuns.FromSql($"SELECT * FROM \"JobRuns\" WHERE \"Id\" = {run.Id} FOR UPDATE").SingleAsync(ct);
        if (tracked.Status == JobRunStatus.Succeeded) return false;
        var model = await db.NoveltyModels.FromSql($"SELECT * FROM \"NoveltyModels\" WHERE \"Id\" = {modelId} FOR UPDATE").SingleAsync(ct);
        if (model.Status == NoveltyModelStatus.Ready) return false;

        model.Status = NoveltyModelStatus.Ready;
        model.JobRunId = run.Id;
        model.Hyperparameters = JsonSerializer.Serialize(new
        {
            result.EmbeddingSize,
            result.HiddenSize,
            result.Layers,
            result.Epochs,
            grid = result.Grid,
        }, JobJson.Options);
        model.TrainSequences = trainCount;
        model.ValidationSequences = result.ValidationScores.Length;
        model.ValidationPerplexity = result.ValidationPerplexity;
        model.ValidationScores = result.ValidationScores;
        model.Threshold = threshold;
        model.Device = result.Device;
        model.TrainingSeconds = result.Seconds;
        model.CreatedAt = DateTime.UtcNow;
        var file = await db.NoveltyModelFiles.FirstOrDefaultAsync(f => f.ModelId == modelId, ct);
        if (file is null) db.NoveltyModelFiles.Add(new NoveltyModelFile { ModelId = modelId, Content = result.Weights.ToBytes() });
        else file.Content = result.Weights.ToBytes();

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"sizes {result.EmbeddingSize}/{result.HiddenSize}, validation perplexity {result.ValidationPerplexity:F3}, threshold {threshold:F3}, {result.Seconds:F1} s");
        reporter.MarkSucceeded(tracked, JsonSerializer.Serialize(new
        {
            modelId,
            parameters.ModelSetId,
            parameters.ClusterId,
            trainSequences = trainCount,
            validationSequences = result.ValidationScores.Length,
            result.ValidationPerplexity,
            threshold,
            seconds = Math.Round(result.Seconds, 3),
        }, JobJson.Options), summary);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, AuditActor.System($"worker {host}"), AuditAction, nameof(NoveltyModel),
            modelId.ToString(CultureInfo.InvariantCulture), new { Status = nameof(NoveltyModelStatus.Training) }, new
            {
                JobRunId = run.Id,
                parameters.ModelSetId,
                parameters.ClusterId,
                RequestedBy = run.RequestedByName,
                result.EmbeddingSize,
                result.HiddenSize,
                result.ValidationPerplexity,
                Threshold = threshold,
            }, ct);
        await transaction.CommitAsync(ct);
        await JobRunReporter.NotifyAsync(db, run.Id, ct);
        return true;
    }

    /// <summary>Another run of the same cluster stored its model first: this run ends without a second one.</summary>
    private async Task SucceedAlreadyTrainedAsync(Guid jobRunId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tracked = await db.JobRuns.SingleAsync(r => r.Id == jobRunId, ct);
        reporter.MarkSucceeded(tracked, "{}", "the cluster's model was already trained by another run");
        await db.SaveChangesAsync(ct);
        await JobRunReporter.NotifyAsync(db, jobRunId, ct);
    }

    /// <summary>Fails the run and flags its model Failed (unless a Ready model stands), so the page shows why.</summary>
    private async Task FailModelAsync(Guid jobRunId, string error)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            await db.NoveltyModels.Where(m => m.JobRunId == jobRunId && m.Status == NoveltyModelStatus.Training)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, NoveltyModelStatus.Failed), CancellationToken.None);
        }
        await reporter.FailAsync(jobRunId, error, CancellationToken.None);
    }
}
