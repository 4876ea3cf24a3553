using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;
using WebApp.Domain.Uploads;
using WebApp.Workers.Import;
using WebApp.Workers.Training;

namespace WebApp.Workers.Sequences.Novelty.Jobs;

/// <summary>
/// The Hangfire job behind <see cref="INoveltyScoringJob"/>: reads the uploaded file with the importer's formats,
/// assigns and scores every sequence with the set's models, and stores the scoring run, its scores (binary COPY), the
/// run's success and the audit record in one transaction.
/// </summary>
public sealed class NoveltyScoringJob(
    IDbContextFactory<AppDbContext> dbFactory,
    UploadStore uploads,
    JobRunReporter reporter,
    AuditTrail audit,
    TorchDevices devices,
    ILogger<NoveltyScoringJob> logger) : INoveltyScoringJob
{
    public const string AuditAction = "novelty.file-scored";
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(Guid jobRunId, CancellationToken cancellationToken)
    {
        if (await reporter.PendingAsync(jobRunId, cancellationToken) is not { } run) return; // a retry after the commit

        var host = JobRunReporter.WorkerHost;
        await reporter.StartAsync(jobRunId, devices.Description, host, 3, cancellationToken);
        try
        {
            var parameters = JsonSerializer.Deserialize<NoveltyScoringParameters>(run.Parameters ?? "null", JobJson.Options)
                ?? throw new InvalidDataException("The run has no scoring parameters.");
            var errors = parameters.Validate().ToList();
            if (errors.Count > 0) throw new InvalidDataException(string.Join(" ", errors));

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            using var scorer = await ModelSetScorer.LoadAsync(db, parameters.ModelSetId, devices.Device, cancellationToken);
            var vocabulary = await db.SequenceEventTypes.AsNoTracking().Where(e => e.DatasetId == scorer.Set.DatasetId)
                .ToDictionaryAsync(e => e.Key, e => e.Index, cancellationToken);

            var lastReport = Stopwatch.StartNew();
            ScoringFileReader file;
            await using (var content = uploads.OpenRead(parameters.FileId))
            {
                file = await ScoringFileReader.ReadAsync(parameters.Format, content, parameters.FileName, vocabulary, async (count, ct) =>
                {
                    if (lastReport.Elapsed < ProgressInterval) return;
                    lastReport.Restart();
                    await reporter.ProgressAsync(jobRunId, 0, null, string.Create(CultureInfo.InvariantCulture, $"read {count:N0} sequences"), ct);
                }, cancellationToken);
            }
            await reporter.ProgressAsync(jobRunId, 1, null, string.Create(CultureInfo.InvariantCulture,
                $"scoring {file.Sequences.Count:N0} sequences"), cancellationToken);
            var clock = Stopwatch.StartNew();
            var scores = scorer.Score([.. file.Sequences.Select(s => s.Events)], cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            await reporter.ProgressAsync(jobRunId, 2, null, "storing the scores", cancellationToken);
            var scoringRun = await StoreAsync(db, run, parameters, file, scores, seconds, host, cancellationToken);
            if (scoringRun is not null)
            {
                logger.LogInformation("Scoring {JobRunId}: {Count} sequences of {File} with set {SetId}, {Novel} novel, in {Seconds:F2} s.",
                    jobRunId, scoringRun.SequenceCount, parameters.FileName, parameters.ModelSetId, scoringRun.NovelCount, seconds);
            }
        }
        catch (Exception e) when (e is InvalidDataException or ImportException)
        {
            // A malformed file or a set without models: a retry would fail the same way, so none is asked for.
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            logger.LogWarning("Scoring {JobRunId} refused: {Reason}", jobRunId, e.Message);
        }
        catch (Exception e)
        {
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            throw;
        }
    }

    private async Task<ScoringRun?> StoreAsync(AppDbContext db, JobRun run, NoveltyScoringParameters parameters, ScoringFileReader file,
        SetScore[] scores, double seconds, string host, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tracked = await db.JobRuns.FromSql($"SELECT * FROM \"JobRuns\" WHERE \"Id\" = {run.Id} FOR UPDATE").SingleAsync(ct);
        if (tracked.Status == JobRunStatus.Succeeded) return null;
        var scoringRun = new ScoringRun
        {
            ModelSetId = parameters.ModelSetId,
            JobRunId = run.Id,
            FileName = parameters.FileName.Length > 260 ? parameters.FileName[..260] : parameters.FileName,
            SequenceCount = scores.Length,
            NovelCount = scores.Count(s => s.IsNovel),
            CreatedAt = DateTime.UtcNow,
            CreatedByName = run.RequestedByName,
        };
        db.ScoringRuns.Add(scoringRun);
        await db.SaveChangesAsync(ct);
        await WriteScoresAsync(db, scoringRun.Id, file.Sequences, scores, ct);

        var before = new { tracked.Status };
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{scoringRun.SequenceCount:N0} sequences scored, {scoringRun.NovelCount:N0} novel ({file.UnknownEvents:N0} unknown events) in {seconds:F2} s");
        reporter.MarkSucceeded(tracked, JsonSerializer.Serialize(new
        {
            scoringRunId = scoringRun.Id,
            scoringRun.SequenceCount,
            scoringRun.NovelCount,
            file.UnknownEvents,
            seconds = Math.Round(seconds, 3),
            sequencesPerSecond = Math.Round(scores.Length / Math.Max(seconds, 1e-6)),
        }, JobJson.Options), summary);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, AuditActor.System($"worker {host}"), AuditAction, nameof(ScoringRun),
            scoringRun.Id.ToString(CultureInfo.InvariantCulture), before, new
            {
                JobRunId = run.Id,
                parameters.ModelSetId,
                parameters.FileName,
                RequestedBy = run.RequestedByName,
                scoringRun.SequenceCount,
                scoringRun.NovelCount,
            }, ct);
        await transaction.CommitAsync(ct);
        await JobRunReporter.NotifyAsync(db, run.Id, ct);
        return scoringRun;
    }

    private static async Task WriteScoresAsync(AppDbContext db, int scoringRunId, List<(string SourceId, int[] Events)> sequences,
        SetScore[] scores, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync("""
            COPY "SequenceScores" ("ScoringRunId", "Ordinal", "SourceId", "Events", "ClusterId", "ModelId", "AssignmentReason",
                "Perplexity", "Surprise", "IsNovel", "TopGMisses") FROM STDIN (FORMAT BINARY)
            """, ct);
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(scoringRunId, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(i + 1, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(sequences[i].SourceId, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(sequences[i].Events, NpgsqlDbType.Array | NpgsqlDbType.Integer, ct);
            if (score.ClusterId is { } clusterId) await writer.WriteAsync(clusterId, NpgsqlDbType.Integer, ct);
            else await writer.WriteNullAsync(ct);
            await writer.WriteAsync(score.ModelId, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(score.Reason.Length > 1000 ? score.Reason[..1000] : score.Reason, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(score.Score.Perplexity, NpgsqlDbType.Double, ct);
            await writer.WriteAsync(score.Score.Surprise, NpgsqlDbType.Array | NpgsqlDbType.Real, ct);
            await writer.WriteAsync(score.IsNovel, NpgsqlDbType.Boolean, ct);
            await writer.WriteAsync(score.Score.TopGMisses, NpgsqlDbType.Integer, ct);
        }
        await writer.CompleteAsync(ct);
    }
}
