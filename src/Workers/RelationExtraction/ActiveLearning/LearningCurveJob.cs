using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction.ActiveLearning;
using WebApp.Domain.Training;
using WebApp.Workers.RelationExtraction.Training;
using WebApp.Workers.Training;

namespace WebApp.Workers.RelationExtraction.ActiveLearning;

/// <summary>
/// The Hangfire job behind <see cref="ILearningCurveJob"/>: loads the project as training does
/// (<see cref="RelationTrainingData"/>), joins the gold labels of its training candidates (the simulated expert's
/// answers), runs <see cref="LearningCurveSimulator"/> with live progress and stores the result JSON as the run's
/// metrics. Nothing else is written.
/// </summary>
public sealed class LearningCurveJob(
    IDbContextFactory<AppDbContext> dbFactory,
    JobRunReporter reporter,
    AuditTrail audit,
    TorchDevices devices,
    ILogger<LearningCurveJob> logger) : ILearningCurveJob
{
    public async Task RunAsync(Guid jobRunId, CancellationToken cancellationToken)
    {
        if (await reporter.PendingAsync(jobRunId, cancellationToken) is not { } run) return; // a retry after the commit
        var parameters = JsonSerializer.Deserialize<LearningCurveParameters>(run.Parameters ?? "{}", JobJson.Options)
            ?? throw new InvalidOperationException("The run has no parameters.");
        var host = JobRunReporter.WorkerHost;
        try
        {
            var problems = parameters.Validate().ToList();
            if (problems.Count > 0) throw new InvalidDataException(string.Join(" ", problems));
            var options = ToOptions(parameters);
            var steps = options.Seeds * (1 + options.EffectiveStrategies.Count * options.Rounds);
            await reporter.StartAsync(jobRunId, devices.Description, host, steps, cancellationToken);
            await reporter.ProgressAsync(jobRunId, 0, null, "loading candidates and gold labels", cancellationToken);
            LearningCurveData data;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                data = await LoadAsync(db, parameters, cancellationToken);
            }
            // Each step is a whole training: the watch lets a cancel reach the training loop at its next batch.
            await using var cancel = reporter.WatchForCancel(jobRunId, cancellationToken);
            var result = await LearningCurveSimulator.RunAsync(data, options, devices.Device,
                async (p, ct) => await reporter.ProgressAsync(jobRunId, p.Step, null, p.Message, ct, p.Steps), cancel.Token);
            await CompleteAsync(jobRunId, result, host, cancellationToken);
            logger.LogInformation("Learning curves {JobRunId}: best {Strategy} reaches random's F1 with {Ratio} of its labels.",
                jobRunId, result.Headline.BestStrategy, result.Headline.Ratio);
        }
        catch (InvalidDataException e)
        {
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            logger.LogWarning("Learning curves {JobRunId} refused: {Reason}", jobRunId, e.Message);
        }
        catch (Exception e)
        {
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            throw;
        }
    }

    public static LearningCurveOptions ToOptions(LearningCurveParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new LearningCurveOptions
        {
            Strategies = p.EffectiveStrategies.Select(n => QueryStrategies.Names[n]).ToList(),
            Seeds = p.Seeds,
            FirstSeed = p.Seed,
            Rounds = p.Rounds,
            BatchSize = p.BatchSize,
            ExpertWeight = (float)p.ExpertLabelWeight,
            MaxPool = p.MaxPool,
            WarmStart = p.WarmStart,
            Model = new LearningCurveOptions().Model with { Epochs = p.Epochs, BatchSize = p.TrainBatchSize },
        };
    }

    /// <summary>The project's data as training sees it, with the gold label of every training candidate that has one.</summary>
    public static async Task<LearningCurveData> LoadAsync(AppDbContext db, LearningCurveParameters parameters, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(parameters);
        var project = await db.RelationProjects.AsNoTracking().SingleAsync(p => p.Id == parameters.ProjectId, ct);
        var data = await RelationTrainingData.LoadAsync(db, project.Id, parameters.NaSamplingRatio ?? project.NaSamplingRatio,
            parameters.Seed, ct);
        if (data.Corpus.Train.Count == 0) throw new InvalidDataException("The project has no training candidates: import sentences first.");
        var indexOf = data.Relations.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var trainIds = data.Corpus.Train.Select(e => e.Id).ToHashSet();
        var gold = (await db.GoldLabels.AsNoTracking()
                .Join(db.Candidates.Where(c => c.ProjectId == project.Id), g => g.CandidateId, c => c.Id, (g, c) => new { g.CandidateId, g.RelationTypeId })
                .ToListAsync(ct))
            .Where(g => trainIds.Contains(g.CandidateId))
            .ToDictionary(g => g.CandidateId, g => indexOf[g.RelationTypeId]);
        if (gold.Count == 0)
        {
            throw new InvalidDataException("No training candidate has a gold label, so there is nothing for the simulated expert to " +
                "answer with: import a dataset with gold labels (OpenNRE or FewRel with relations).");
        }
        return new LearningCurveData(data.Corpus.Relations, data.Corpus.Train, gold, data.Corpus.Test, data.TestGold);
    }

    private async Task CompleteAsync(Guid jobRunId, LearningCurveResult result, string host, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var run = await db.JobRuns.SingleAsync(r => r.Id == jobRunId, ct);
        var before = new { run.Status };
        var h = result.Headline;
        var message = h.Ratio is { } ratio
            ? string.Create(CultureInfo.InvariantCulture, $"{h.BestStrategy} reaches random's F1 {h.RandomFinalF1:F3} with {ratio:P0} of its {h.RandomBudget} labels")
            : string.Create(CultureInfo.InvariantCulture, $"no strategy reached random's F1 {h.RandomFinalF1:F3} within {h.RandomBudget} labels");
        reporter.MarkSucceeded(run, JsonSerializer.Serialize(result, JobJson.Options), message);
        await audit.RecordAsync(db, AuditActor.System($"worker {host}"), "job.succeeded", nameof(JobRun),
            jobRunId.ToString(), before, new { run.Status, run.Device, h }, ct);
        await transaction.CommitAsync(ct);
        await JobRunReporter.NotifyAsync(db, jobRunId, ct);
    }
}
