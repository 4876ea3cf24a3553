using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;
using WebApp.Domain.Uploads;
using WebApp.Workers.Import;

namespace WebApp.Workers.RelationExtraction.Import;

/// <summary>
/// The Hangfire job behind <see cref="IRelationImportJob"/>: streams the upload through the format's importer
/// into one transaction that also relabels the project by distant supervision, marks the run succeeded and
/// writes the audit record — all of it commits, or none of it.
/// </summary>
public sealed class RelationImportJob(
    IDbContextFactory<AppDbContext> dbFactory,
    UploadStore uploads,
    JobRunReporter reporter,
    AuditTrail audit,
    ILogger<RelationImportJob> logger) : IRelationImportJob
{
    public const string AuditAction = "relations.imported";

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(Guid jobRunId, CancellationToken cancellationToken)
    {
        if (await reporter.PendingAsync(jobRunId, cancellationToken) is not { } run) return; // a retry after the commit

        var host = JobRunReporter.WorkerHost;
        await reporter.StartAsync(jobRunId, "cpu", host, 100, cancellationToken);
        try
        {
            var parameters = JsonSerializer.Deserialize<RelationImportParameters>(run.Parameters ?? "null", JobJson.Options)
                ?? throw new ImportException("the job run has no import parameters");
            var counts = await ImportAsync(run, parameters, host, cancellationToken);
            logger.LogInformation("Relation import {JobRunId} into project {ProjectId} succeeded: {Candidates} candidates.",
                jobRunId, parameters.ProjectId, counts.Candidates);
        }
        catch (ImportException e)
        {
            // Bad input: a retry would read the same bytes and fail the same way, so the run is marked failed
            // with the file, line and reason, and the job returns normally (Hangfire does not retry it).
            logger.LogWarning("Relation import {JobRunId} rejected its input: {Error}", jobRunId, e.Message);
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
        }
        catch (Exception e)
        {
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            throw;
        }
    }

    private async Task<ImportCounts> ImportAsync(JobRun run, RelationImportParameters parameters, string host, CancellationToken ct)
    {
        if (parameters.AliasesFileId is not null && parameters.Format != RelationImportFormat.KnowledgeBase)
        {
            throw new ImportException(parameters.AliasesFileName ?? "aliases", null, "an aliases file goes with a knowledge-base import");
        }
        var fileIds = parameters.AliasesFileId is { } aliases ? new[] { parameters.FileId, aliases } : [parameters.FileId];
        long totalBytes;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var files = await db.UploadedFiles.AsNoTracking().Where(f => fileIds.Contains(f.Id)).ToListAsync(ct);
            foreach (var id in fileIds.Where(id => files.All(f => f.Id != id)))
            {
                throw new ImportException(id == parameters.FileId ? parameters.FileName : parameters.AliasesFileName ?? "aliases",
                    null, "the uploaded file no longer exists");
            }
            totalBytes = Math.Max(1, files.Sum(f => f.Length));
        }

        var clock = Stopwatch.StartNew();
        await using var importDb = await dbFactory.CreateDbContextAsync(ct);
        importDb.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        await using var transaction = await importDb.Database.BeginTransactionAsync(ct);
        var writer = await ImportWriter.BeginAsync(importDb, parameters.ProjectId, run.Id, parameters.FileName, ct);

        long bytesBefore = 0;
        CountingStream? current = null;
        var lastReport = Stopwatch.StartNew();
        async ValueTask ReportAsync(CancellationToken token)
        {
            if (lastReport.Elapsed < ProgressInterval) return;
            lastReport.Restart();
            var read = bytesBefore + (current?.BytesRead ?? 0);
            var percent = (int)Math.Clamp(read * 100 / totalBytes, 0, 99);
            await reporter.ProgressAsync(run.Id, percent, null, $"{ProgressText.BytesRead(read, totalBytes)} · {Describe(writer.Counts)}", token);
        }

        async Task ReadAsync(Guid fileId, string fileName, Func<Stream, Task> import)
        {
            await using var stream = new CountingStream(uploads.OpenRead(fileId));
            current = stream;
            await import(stream);
            bytesBefore += stream.BytesRead;
            current = null;
        }

        var fileName = parameters.FileName;
        await ReadAsync(parameters.FileId, fileName, stream => parameters.Format switch
        {
            RelationImportFormat.Relations => RelationsImporter.ImportAsync(writer, stream, fileName, ReportAsync, ct),
            RelationImportFormat.KnowledgeBase => KnowledgeBaseImporter.ImportFactsAsync(writer, stream, fileName, ReportAsync, ct),
            RelationImportFormat.Corpus => CorpusImporter.ImportAsync(writer, stream, fileName, ReportAsync, ct),
            RelationImportFormat.OpenNre => OpenNreImporter.ImportAsync(writer, stream, fileName, ReportAsync, ct),
            RelationImportFormat.FewRel => FewRelImporter.ImportAsync(writer, stream, fileName, ReportAsync, ct),
            _ => throw new ImportException(fileName, null, $"unknown import format {parameters.Format}"),
        });
        if (parameters.AliasesFileId is { } aliasesFile)
        {
            var aliasesName = parameters.AliasesFileName ?? "aliases";
            await ReadAsync(aliasesFile, aliasesName,
                stream => KnowledgeBaseImporter.ImportAliasesAsync(writer, stream, aliasesName, ReportAsync, ct));
        }

        await reporter.ProgressAsync(run.Id, 99, null, $"{ProgressText.BytesRead(totalBytes, totalBytes)} · {Describe(writer.Counts)}; writing and relabelling", ct);
        var counts = await writer.CompleteAsync(ct);
        counts.Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);

        var tracked = await importDb.JobRuns.SingleAsync(r => r.Id == run.Id, ct);
        var before = new { tracked.Status };
        reporter.MarkSucceeded(tracked, JsonSerializer.Serialize(counts, JobJson.Options), Describe(counts));
        await audit.RecordAsync(importDb, AuditActor.System($"worker {host}"), AuditAction, nameof(RelationProject),
            parameters.ProjectId.ToString(CultureInfo.InvariantCulture), before,
            new
            {
                JobRunId = run.Id,
                parameters.Format,
                parameters.FileName,
                parameters.AliasesFileName,
                RequestedBy = run.RequestedByName,
                Counts = counts,
            }, ct);
        await transaction.CommitAsync(ct);
        await JobRunReporter.NotifyAsync(importDb, run.Id, ct);
        return counts;
    }

    private static string Describe(ImportCounts counts) => string.Create(CultureInfo.InvariantCulture,
        $"{counts.Lines:N0} lines, {counts.Candidates:N0} candidates, {counts.Entities:N0} new entities, {counts.Facts:N0} facts");
}
