using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;
using WebApp.Domain.Uploads;

namespace WebApp.Web.Sequences;

/// <summary>
/// The local run's demo dataset "HDFS" (demo/sequences/hdfs): creates the dataset row, uploads the three files as a
/// user would and queues their imports one after another (train; abnormal test sessions labelled novel; the normal
/// stand-in labelled normal), then the automatic clusterings (LDA ensemble, k-means) after the last import.
/// </summary>
/// <remarks>
/// The dataset row is created here, not by the first import, so every chained job can name the dataset by id when it
/// is queued; the import job stays unaware of clustering. Its existence also marks the demo as seeded: a restart does
/// not queue it again, even while the imports are still waiting for a worker.
/// </remarks>
public sealed class SequenceDemoSeeder(
    IDbContextFactory<AppDbContext> dbFactory, UploadStore uploads, SequenceJobLauncher launcher, AuditTrail audit, TimeProvider clock,
    ILogger<SequenceDemoSeeder> logger)
{
    public const string DatasetName = "HDFS";
    public const string DatasetCreatedAction = "sequences.dataset-created";
    public static readonly TimeSpan QueueWait = TimeSpan.FromSeconds(60);

    /// <summary>File, part and known label of each import, in order.</summary>
    public static readonly IReadOnlyList<(string File, string Part, KnownLabel? Label)> Imports =
    [
        ("hdfs_train", SequenceParts.Train, null),
        ("hdfs_test_abnormal", SequenceParts.Test, KnownLabel.Novel),
        ("alt_normal_logrobust.txt", SequenceParts.Test, KnownLabel.Normal),
    ];

    /// <returns>The dataset id when it was seeded now, else null (no demo data, or seeded before).</returns>
    public async Task<int?> SeedAsync(string demoDirectory, CancellationToken ct = default)
    {
        var directory = Path.Combine(demoDirectory, "sequences", "hdfs");
        if (Imports.Any(i => !File.Exists(Path.Combine(directory, i.File))))
        {
            logger.LogWarning("No sequence demo data in {Directory}; skipped.", directory);
            return null;
        }

        var seeder = AuditActor.System("seed");
        int datasetId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.SequenceDatasets.AnyAsync(d => d.Name == DatasetName, ct)) return null;
            if (!await JobQueueReadyAsync(db, ct))
            {
                logger.LogWarning("No worker has created the job queue's schema yet; the HDFS demo dataset is seeded at the next start.");
                return null;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var dataset = new SequenceDataset
            {
                Name = DatasetName,
                Description = "HDFS log-key sessions (one per block) from DeepLog's split: normal training sessions, abnormal " +
                    "test sessions, and a normal stand-in test set derived from LogRobust's data.",
                Source = "github.com/wuyifan18/DeepLog (MIT, Copyright (c) 2019 Yifan Wu) and github.com/d0ng1ee/logdeep (MIT, " +
                    "Copyright (c) 2020 donglee); HDFS logs of Xu et al., SOSP 2009. See demo/sequences/hdfs/SOURCE.md.",
                CreatedAt = clock.GetUtcNow().UtcDateTime,
                CreatedByName = seeder.Name,
            };
            db.SequenceDatasets.Add(dataset);
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync(db, seeder, DatasetCreatedAction, nameof(SequenceDataset),
                dataset.Id.ToString(CultureInfo.InvariantCulture), null, new { dataset.Name, dataset.Source }, ct);
            await transaction.CommitAsync(ct);
            datasetId = dataset.Id;
        }

        string? previous = null;
        foreach (var (file, part, label) in Imports)
        {
            await using var stream = File.OpenRead(Path.Combine(directory, file));
            var upload = await uploads.SaveAsync(stream, file, "text/plain", seeder.Name, long.MaxValue, ct);
            var result = await launcher.ImportAsync(new SequenceImportParameters(SequenceImportFormat.Lines, upload.Id, upload.FileName,
                datasetId, Part: part, LabelAll: label), seeder, previous, ct);
            if (result.Errors.Count > 0) throw new InvalidOperationException(string.Join(" ", result.Errors));
            previous = result.HangfireJobId;
        }
        foreach (var method in new[] { ClusteringKinds.Lda, ClusteringKinds.KMeans })
        {
            // Both wait for the last import only, so they may run side by side on two workers.
            var result = await launcher.ClusterAsync(SequenceClusteringParameters.Defaults(datasetId, method), seeder, previous, ct);
            if (result.Errors.Count > 0) throw new InvalidOperationException(string.Join(" ", result.Errors));
        }
        logger.LogInformation("Queued the imports of the HDFS sequence demo dataset and its automatic clusterings.");
        return datasetId;
    }

    /// <summary>
    /// The workers own Hangfire's schema and create it once the web has migrated; a local run starts both at once.
    /// Waiting here (up to <see cref="QueueWait"/>) keeps the seeder from creating a dataset whose imports cannot be queued.
    /// </summary>
    private async Task<bool> JobQueueReadyAsync(AppDbContext db, CancellationToken ct)
    {
        var table = $"{HangfireStorage.Schema}.job";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await db.Database.SqlQuery<bool>($"SELECT to_regclass({table}) IS NOT NULL AS \"Value\"").SingleAsync(ct)) return true;
            if (waited.Elapsed >= QueueWait) return false;
            await Task.Delay(TimeSpan.FromSeconds(1), clock, ct);
        }
    }
}
