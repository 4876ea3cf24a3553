using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;

namespace WebApp.Workers.Training;

/// <summary>The Hangfire job behind <see cref="IDemoTrainingJob"/>: loads the run, trains, reports, audits.</summary>
public sealed class DemoTrainingJob(
    IDbContextFactory<AppDbContext> dbFactory,
    JobRunReporter reporter,
    AuditTrail audit,
    TorchDevices devices,
    ILogger<DemoTrainingJob> logger) : IDemoTrainingJob
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(Guid jobRunId, CancellationToken cancellationToken)
    {
        if (await reporter.PendingAsync(jobRunId, cancellationToken) is not { } run) return; // a retry after the commit
        var parameters = JsonSerializer.Deserialize<DemoTrainingParameters>(run.Parameters ?? "{}", JobJson.Options)
            ?? new DemoTrainingParameters();

        var host = JobRunReporter.WorkerHost;
        await reporter.StartAsync(jobRunId, devices.Description, host, parameters.Epochs, cancellationToken);
        logger.LogInformation("Demo training {JobRunId} started on {Device}.", jobRunId, devices.Description);
        try
        {
            var lastReport = Stopwatch.StartNew();
            var result = await DemoTrainer.TrainAsync(parameters, devices.Device, async progress =>
            {
                if (progress.Epoch == progress.Epochs || lastReport.Elapsed >= ProgressInterval)
                {
                    lastReport.Restart();
                    await reporter.ProgressAsync(jobRunId, progress.Epoch, progress.TrainLoss,
                        $"epoch {progress.Epoch}/{progress.Epochs}", cancellationToken,
                        devMetric: new DevMetric("held-out accuracy", progress.HeldOutAccuracy));
                }
            }, cancellationToken);

            await CompleteAsync(jobRunId, result, host, cancellationToken);
            logger.LogInformation("Demo training {JobRunId} succeeded: held-out accuracy {Accuracy:F3}.",
                jobRunId, result.HeldOutAccuracy);
        }
        catch (Exception e)
        {
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            throw;
        }
    }

    private async Task CompleteAsync(Guid jobRunId, DemoTrainingResult result, string host, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var run = await db.JobRuns.SingleAsync(r => r.Id == jobRunId, ct);
        var before = new { run.Status };
        reporter.MarkSucceeded(run, JsonSerializer.Serialize(result, JobJson.Options),
            $"held-out accuracy {result.HeldOutAccuracy:P1} in {result.Seconds:F1} s");
        await audit.RecordAsync(db, AuditActor.System($"worker {host}"), "job.succeeded", nameof(JobRun),
            jobRunId.ToString(), before, new { run.Status, run.Device, result }, ct);
        await transaction.CommitAsync(ct);
        await JobRunReporter.NotifyAsync(db, jobRunId, ct);
    }
}
