using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;
using WebApp.Workers.Training;

namespace WebApp.Workers.RelationExtraction.Training;

/// <summary>
/// The Hangfire job behind <see cref="IExpertValueJob"/>: per seed, trains the project's standing settings on its data
/// with the expert labels and on its label-free twin (same settings, seed and NA sample; training and dev without the
/// expert labels; the same test sentences and gold), measures both, and stores the pairs as the run's metrics. Nothing
/// else is written: no model version, no prediction.
/// </summary>
public sealed class ExpertValueJob(
    IDbContextFactory<AppDbContext> dbFactory,
    JobRunReporter reporter,
    AuditTrail audit,
    TorchDevices devices,
    ILogger<ExpertValueJob> logger) : IExpertValueJob
{
    public async Task RunAsync(Guid jobRunId, CancellationToken cancellationToken)
    {
        if (await reporter.PendingAsync(jobRunId, cancellationToken) is not { } run) return;
        var parameters = JsonSerializer.Deserialize<ExpertValueParameters>(run.Parameters ?? "{}", JobJson.Options)
            ?? throw new InvalidOperationException("The run has no parameters.");
        var host = JobRunReporter.WorkerHost;
        try
        {
            var problems = parameters.Validate().ToList();
            if (problems.Count > 0) throw new InvalidDataException(string.Join(" ", problems));
            var steps = 2 * parameters.Seeds;
            await reporter.StartAsync(jobRunId, devices.Description, host, steps, cancellationToken);
            RelationProject project;
            double minutes;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                project = await db.RelationProjects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == parameters.ProjectId, cancellationToken)
                    ?? throw new InvalidDataException($"There is no relation project {parameters.ProjectId.ToString(CultureInfo.InvariantCulture)}.");
                minutes = await ExpertEffort.MinutesAsync(db, project.Id, run.CreatedAt, cancellationToken);
            }
            var settings = StandingTraining.ParametersFor(project) with { WarmStart = false };
            var naRatio = settings.NaSamplingRatio ?? project.NaSamplingRatio;

            // Each step is a whole training: the watch lets a cancel reach the training loop at its next batch.
            await using var cancel = reporter.WatchForCancel(jobRunId, cancellationToken);
            var pairs = new List<ExpertValuePair>();
            string? measure = null;
            var labelsInTraining = 0;
            for (var i = 0; i < parameters.Seeds; i++)
            {
                var seed = settings.Seed + i;
                var with = await TrainAndMeasureAsync(jobRunId, project.Id, settings with { Seed = seed }, naRatio, true, 2 * i, steps, cancel.Token);
                var without = await TrainAndMeasureAsync(jobRunId, project.Id, settings with { Seed = seed }, naRatio, false, 2 * i + 1, steps, cancel.Token);
                if (with.LabelsInTraining == 0)
                {
                    throw new InvalidDataException("No expert label is in the training or dev split yet: there is nothing to measure.");
                }
                labelsInTraining = with.LabelsInTraining;
                // Gold F1 where the test split has gold, else held-out AUC: the promotion rule's measure.
                var useGold = with.Measure.GoldF1 is not null && without.Measure.GoldF1 is not null;
                measure ??= useGold ? ModelPromotion.GoldF1 : ModelPromotion.HeldOutAuc;
                pairs.Add(useGold
                    ? new ExpertValuePair(seed, with.Measure.GoldF1!.Value, without.Measure.GoldF1!.Value)
                    : new ExpertValuePair(seed, with.Measure.HeldOutAuc, without.Measure.HeldOutAuc));
            }
            var result = new ExpertValueResult(measure!, pairs, labelsInTraining, minutes, settings);
            await CompleteAsync(jobRunId, result, host, cancellationToken);
            logger.LogInformation("Expert value {JobRunId}: {Measure} {Gain:+0.000;-0.000} ± {Spread:0.000} over {Seeds} seeds.",
                jobRunId, result.Measure, result.MeanGain, result.SeedSpread, pairs.Count);
        }
        catch (InvalidDataException e)
        {
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            logger.LogWarning("Expert value {JobRunId} refused: {Reason}", jobRunId, e.Message);
        }
        catch (Exception e)
        {
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            throw;
        }
    }

    private sealed record Trained(HeldOutMeasure Measure, int LabelsInTraining);

    private async Task<Trained> TrainAndMeasureAsync(Guid jobRunId, int projectId, RelationTrainingParameters settings, double naRatio,
        bool withLabels, int step, int steps, CancellationToken ct)
    {
        var what = string.Create(CultureInfo.InvariantCulture, $"seed {settings.Seed}, {(withLabels ? "with" : "without")} the expert labels");
        await reporter.ProgressAsync(jobRunId, step, null, $"training {step + 1}/{steps}: {what}", ct);
        RelationTrainingData data;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            data = await RelationTrainingData.LoadAsync(db, projectId, naRatio, settings.Seed, settings.ExpertLabelWeight, withLabels, ct);
        }
        var problems = RelationTrainingJob.Problems(data).ToList();
        if (problems.Count > 0) throw new InvalidDataException(string.Join(" ", problems));
        using var result = await PcnnTrainer.TrainAsync(data.Corpus, RelationTrainingJob.ToOptions(settings), devices.Device, null, null, ct);
        var measure = HeldOutMeasurement.Of(new PcnnScorer(result.Model, devices.Device), data);
        return new Trained(measure, data.ExpertLabelled.Count);
    }

    private async Task CompleteAsync(Guid jobRunId, ExpertValueResult result, string host, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var run = await db.JobRuns.SingleAsync(r => r.Id == jobRunId, ct);
        var before = new { run.Status };
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{result.ExpertLabelsInTraining} expert labels bought {result.MeanGain:+0.000;-0.000;0.000} {result.Measure} (± {result.SeedSpread ?? 0:0.000} over {result.Pairs.Count} seeds)");
        reporter.MarkSucceeded(run, JsonSerializer.Serialize(result, JobJson.Options), message);
        await audit.RecordAsync(db, AuditActor.System($"worker {host}"), "job.succeeded", nameof(JobRun), jobRunId.ToString(), before,
            new { run.Status, run.Device, result.Measure, result.MeanGain, result.SeedSpread, Seeds = result.Pairs.Count, result.ExpertLabelsInTraining }, ct);
        await transaction.CommitAsync(ct);
        await JobRunReporter.NotifyAsync(db, jobRunId, ct);
    }
}
