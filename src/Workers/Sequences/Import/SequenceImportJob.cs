using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;
using WebApp.Domain.Uploads;
using WebApp.Workers.Import;

namespace WebApp.Workers.Sequences.Import;

/// <summary>
/// The Hangfire job behind <see cref="ISequenceImportJob"/>: streams the upload through <see cref="SequenceImporter"/>
/// in one transaction that also marks the run succeeded and writes the audit record, so a retry after a crash starts
/// from nothing and a retry after the commit does nothing.
/// </summary>
public sealed class SequenceImportJob(
    IDbContextFactory<AppDbContext> dbFactory,
    UploadStore uploads,
    JobRunReporter reporter,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<SequenceImportJob> logger) : ISequenceImportJob
{
    public const string AuditAction = "sequences.imported";

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(Guid jobRunId, CancellationToken cancellationToken)
    {
        if (await reporter.PendingAsync(jobRunId, cancellationToken) is not { } run) return; // a retry after the commit

        var host = JobRunReporter.WorkerHost;
        await reporter.StartAsync(jobRunId, "cpu", host, 100, cancellationToken);
        try
        {
            var parameters = JsonSerializer.Deserialize<SequenceImportParameters>(run.Parameters ?? "null", JobJson.Options)
                ?? throw new ImportException("the job run has no import parameters");
            var result = await ImportAsync(run, parameters, host, cancellationToken);
            logger.LogInformation("Sequence import {JobRunId} into dataset {DatasetId} succeeded: {Sequences} sequences, {Events} events.",
                jobRunId, result.DatasetId, result.Counts.Sequences, result.Counts.Events);
        }
        catch (ImportException e)
        {
            // Bad input: a retry would read the same bytes and fail the same way, so the run is marked failed with
            // the file, line and reason, and the job returns normally (Hangfire does not retry it).
            logger.LogWarning("Sequence import {JobRunId} rejected its input: {Error}", jobRunId, e.Message);
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
        }
        catch (Exception e)
        {
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            throw;
        }
    }

    private async Task<SequenceImportResult> ImportAsync(JobRun run, SequenceImportParameters parameters, string host, CancellationToken ct)
    {
        long totalBytes;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            totalBytes = await db.UploadedFiles.Where(f => f.Id == parameters.FileId).Select(f => (long?)f.Length).SingleOrDefaultAsync(ct)
                ?? throw new ImportException(parameters.FileName, null, "the uploaded file no longer exists");
        }

        await using var importDb = await dbFactory.CreateDbContextAsync(ct);
        importDb.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        await using var transaction = await importDb.Database.BeginTransactionAsync(ct);
        await using var stream = new CountingStream(uploads.OpenRead(parameters.FileId));
        var lastReport = Stopwatch.StartNew();
        async ValueTask ReportAsync(SequenceImportCounts counts, CancellationToken token)
        {
            if (lastReport.Elapsed < ProgressInterval) return;
            lastReport.Restart();
            var percent = (int)Math.Clamp(stream.BytesRead * 100 / Math.Max(1, totalBytes), 0, 99);
            await reporter.ProgressAsync(run.Id, percent, null, $"{ProgressText.BytesRead(stream.BytesRead, totalBytes)} · {Describe(counts)}", token);
        }

        var result = await SequenceImporter.ImportAsync(importDb, parameters, stream, run.RequestedByName, clock.GetUtcNow().UtcDateTime,
            ReportAsync, ct);

        var tracked = await importDb.JobRuns.SingleAsync(r => r.Id == run.Id, ct);
        var before = new { tracked.Status };
        reporter.MarkSucceeded(tracked, JsonSerializer.Serialize(result.Counts, JobJson.Options), Describe(result.Counts));
        await audit.RecordAsync(importDb, AuditActor.System($"worker {host}"), AuditAction, nameof(SequenceDataset),
            result.DatasetId.ToString(CultureInfo.InvariantCulture), before, AuditDetails(run.Id, parameters, result, run.RequestedByName), ct);
        await transaction.CommitAsync(ct);
        await JobRunReporter.NotifyAsync(importDb, run.Id, ct);
        return result;
    }

    /// <summary>What the audit record of an import says (the job and the command line write the same).</summary>
    public static object AuditDetails(Guid? jobRunId, SequenceImportParameters parameters, SequenceImportResult result, string requestedBy) => new
    {
        JobRunId = jobRunId,
        parameters.Format,
        parameters.FileName,
        Dataset = result.DatasetName,
        result.CreatedDataset,
        parameters.Part,
        parameters.LabelAll,
        RequestedBy = requestedBy,
        result.Counts,
    };

    /// <summary>The run's message; a labels file reads no sequences, so it only counts lines and labels.</summary>
    public static string Describe(SequenceImportCounts counts) => counts.Sequences == 0 && counts.Labels > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{counts.Lines:N0} lines, {counts.Labels:N0} labels")
        : string.Create(CultureInfo.InvariantCulture,
            $"{counts.Lines:N0} lines, {counts.Sequences:N0} sequences, {counts.Events:N0} events, {counts.NewEventTypes:N0} new event types, {counts.Labels:N0} labels");
}
