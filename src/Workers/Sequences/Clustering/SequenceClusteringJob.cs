using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;
using StoredClustering = WebApp.Domain.Sequences.Clustering;

namespace WebApp.Workers.Sequences.Clustering;

/// <summary>
/// The Hangfire job behind <see cref="ISequenceClusteringJob"/>: loads the dataset's training sequences, runs the
/// method (one progress step per k) and stores the topic models, mixtures, clusterings, clusters and assignments,
/// the run's success and its audit record in one transaction: a killed or retried run never leaves half a clustering.
/// </summary>
public sealed class SequenceClusteringJob(
    IDbContextFactory<AppDbContext> dbFactory,
    JobRunReporter reporter,
    AuditTrail audit,
    ILogger<SequenceClusteringJob> logger) : ISequenceClusteringJob
{
    public const string AuditAction = "sequences.clustered";

    public async Task RunAsync(Guid jobRunId, CancellationToken cancellationToken)
    {
        if (await reporter.PendingAsync(jobRunId, cancellationToken) is not { } run) return; // a retry after the commit

        var host = JobRunReporter.WorkerHost;
        try
        {
            var parameters = JsonSerializer.Deserialize<SequenceClusteringParameters>(run.Parameters ?? "null", JobJson.Options)
                ?? throw new InvalidDataException("The run has no clustering parameters.");
            await reporter.StartAsync(jobRunId, "cpu", host, parameters.MaxK - parameters.MinK + 1, cancellationToken);
            await reporter.ProgressAsync(jobRunId, 0, null, "loading the training sequences", cancellationToken);
            SequenceCorpus corpus;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                if (!await db.SequenceDatasets.AnyAsync(d => d.Id == parameters.DatasetId, cancellationToken))
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Dataset {parameters.DatasetId} does not exist."));
                }
                corpus = await SequenceCorpus.LoadAsync(db, parameters.DatasetId, cancellationToken);
            }
            // One step per k fitted, which can take minutes: the watch lets a cancel reach the fitting loop sooner.
            SequenceClusteringOutcome outcome;
            await using (var cancel = reporter.WatchForCancel(jobRunId, cancellationToken))
            {
                outcome = await SequenceClusterer.RunAsync(corpus, parameters, new LdaSettings(),
                    async (step, message, ct) => await reporter.ProgressAsync(jobRunId, step, null, message, ct), cancel.Token);
            }
            await reporter.ProgressAsync(jobRunId, parameters.MaxK - parameters.MinK + 1, null, "storing the results", cancellationToken);
            await StoreAsync(run, parameters, corpus, outcome, host, cancellationToken);
            logger.LogInformation("Sequence clustering {JobRunId} ({Method}) of dataset {DatasetId} stored: {Summary}.",
                jobRunId, parameters.Method, parameters.DatasetId, Describe(outcome));
        }
        catch (InvalidDataException e)
        {
            // The dataset cannot be clustered as asked: a retry would fail the same way, so none is asked for.
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            logger.LogWarning("Sequence clustering {JobRunId} refused: {Reason}", jobRunId, e.Message);
        }
        catch (Exception e)
        {
            await reporter.FailAsync(jobRunId, e.Message, CancellationToken.None);
            throw;
        }
    }

    private async Task StoreAsync(JobRun run, SequenceClusteringParameters parameters, SequenceCorpus corpus,
        SequenceClusteringOutcome outcome, string host, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Two attempts of one run (a retry while the first still runs) store one result: the second waits here and
        // then finds the run succeeded.
        var tracked = await db.JobRuns.FromSql($"SELECT * FROM \"JobRuns\" WHERE \"Id\" = {run.Id} FOR UPDATE").SingleAsync(ct);
        if (tracked.Status == JobRunStatus.Succeeded) return;
        var now = DateTime.UtcNow;

        var models = new List<(TopicModel Model, TopicModelOutcome Outcome, List<Topic> Topics)>();
        foreach (var model in outcome.TopicModels)
        {
            var entity = new TopicModel
            {
                DatasetId = parameters.DatasetId,
                EnsembleRunId = run.Id,
                TopicCount = model.TopicCount,
                Parameters = model.Parameters,
                CreatedAt = now,
            };
            db.TopicModels.Add(entity);
            models.Add((entity, model, []));
        }
        await db.SaveChangesAsync(ct);
        foreach (var (model, fitted, topics) in models)
        {
            for (var t = 0; t < fitted.TopicCount; t++) topics.Add(new Topic { TopicModelId = model.Id, Index = t, EventWeights = fitted.Topics[t] });
            db.Topics.AddRange(topics);
        }
        await db.SaveChangesAsync(ct);
        await WriteMixturesAsync(db, corpus, models.Select(m => (m.Model.Id, m.Outcome)), ct);

        var clusterings = new List<(StoredClustering Clustering, ClusteringOutcome Outcome, List<Cluster> Clusters)>();
        foreach (var result in outcome.Clusterings)
        {
            var isLda = result.Kind == ClusteringKinds.Lda;
            var clustering = new StoredClustering
            {
                DatasetId = parameters.DatasetId,
                Name = result.Name,
                Kind = result.Kind,
                // Automatic results never change: saved, outside the curated version numbers.
                Status = ClusteringStatus.Saved,
                // One per run for k-means and k-medoids (a unique key); the LDA ensemble's k clusterings share its run id.
                JobRunId = isLda ? null : run.Id,
                EnsembleRunId = isLda ? run.Id : null,
                Parameters = result.Parameters,
                Silhouette = result.Silhouette,
                CreatedAt = now,
                CreatedByName = run.RequestedByName,
                SavedAt = now,
            };
            db.Clusterings.Add(clustering);
            clusterings.Add((clustering, result, []));
        }
        await db.SaveChangesAsync(ct);
        foreach (var (clustering, result, clusters) in clusterings)
        {
            var topics = result.TopicCount is { } k ? models.Single(m => m.Model.TopicCount == k).Topics : null;
            for (var c = 0; c < result.Clusters.Count; c++)
            {
                var cluster = result.Clusters[c];
                clusters.Add(new Cluster
                {
                    ClusteringId = clustering.Id,
                    Index = c,
                    Name = cluster.Name,
                    Center = cluster.Center,
                    TopicIds = topics is not null && cluster.TopicIndex is { } t ? [topics[t].Id] : [],
                });
            }
            db.Clusters.AddRange(clusters);
        }
        await db.SaveChangesAsync(ct);
        await WriteAssignmentsAsync(db, corpus, clusterings.Select(c => (c.Clustering.Id, c.Outcome, c.Clusters)), ct);

        var before = new { tracked.Status };
        reporter.MarkSucceeded(tracked, JsonSerializer.Serialize(new
        {
            outcome.Method,
            outcome.ChosenK,
            sequences = outcome.SequenceCount,
            distinct = outcome.DistinctCount,
            outcome.DistinctForDistances,
            perK = outcome.PerK,
            topicModels = models.Select(m => m.Model.Id),
            clusterings = clusterings.Select(c => c.Clustering.Id),
            seconds = Math.Round(outcome.Seconds, 3),
        }, JobJson.Options), Describe(outcome));
        await audit.RecordAsync(db, AuditActor.System($"worker {host}"), AuditAction, nameof(SequenceDataset),
            parameters.DatasetId.ToString(CultureInfo.InvariantCulture), before, new
            {
                JobRunId = run.Id,
                parameters.Method,
                parameters.MinK,
                parameters.MaxK,
                parameters.Seed,
                RequestedBy = run.RequestedByName,
                outcome.ChosenK,
                TopicModels = models.Select(m => m.Model.Id),
                Clusterings = clusterings.Select(c => new { c.Clustering.Id, c.Clustering.Name, c.Clustering.Silhouette }),
            }, ct);
        await transaction.CommitAsync(ct);
        await JobRunReporter.NotifyAsync(db, run.Id, ct);
    }

    /// <summary>Every training sequence's mixture: the mixture of its distinct sequence.</summary>
    private static async Task WriteMixturesAsync(AppDbContext db, SequenceCorpus corpus, IEnumerable<(int ModelId, TopicModelOutcome Model)> models,
        CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY \"SequenceTopicMixtures\" (\"TopicModelId\", \"SequenceId\", \"Weights\") FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (modelId, model) in models)
        {
            for (var d = 0; d < corpus.Distinct.Count; d++)
            {
                foreach (var member in corpus.Distinct[d].Members)
                {
                    await writer.StartRowAsync(ct);
                    await writer.WriteAsync(modelId, NpgsqlDbType.Integer, ct);
                    await writer.WriteAsync(corpus.SequenceIds[member], NpgsqlDbType.Bigint, ct);
                    await writer.WriteAsync(model.DistinctMixtures[d], NpgsqlDbType.Array | NpgsqlDbType.Real, ct);
                }
            }
        }
        await writer.CompleteAsync(ct);
    }

    private static async Task WriteAssignmentsAsync(AppDbContext db, SequenceCorpus corpus,
        IEnumerable<(int ClusteringId, ClusteringOutcome Outcome, List<Cluster> Clusters)> clusterings, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY \"SequenceAssignments\" (\"ClusteringId\", \"SequenceId\", \"ClusterId\", \"Score\", \"IsManual\") FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (clusteringId, outcome, clusters) in clusterings)
        {
            for (var d = 0; d < corpus.Distinct.Count; d++)
            {
                var clusterId = clusters[outcome.DistinctLabels[d]].Id;
                foreach (var member in corpus.Distinct[d].Members)
                {
                    await writer.StartRowAsync(ct);
                    await writer.WriteAsync(clusteringId, NpgsqlDbType.Integer, ct);
                    await writer.WriteAsync(corpus.SequenceIds[member], NpgsqlDbType.Bigint, ct);
                    await writer.WriteAsync(clusterId, NpgsqlDbType.Integer, ct);
                    await writer.WriteNullAsync(ct);
                    await writer.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                }
            }
        }
        await writer.CompleteAsync(ct);
    }

    private static string Describe(SequenceClusteringOutcome outcome)
    {
        var scope = string.Create(CultureInfo.InvariantCulture,
            $"{outcome.SequenceCount:N0} sequences ({outcome.DistinctCount:N0} distinct) in {outcome.Seconds:F1} s");
        return outcome.Method switch
        {
            ClusteringKinds.Lda => string.Create(CultureInfo.InvariantCulture,
                $"LDA ensemble, {outcome.TopicModels.Count} models (k={outcome.TopicModels[0].TopicCount}…{outcome.TopicModels[^1].TopicCount}), over {scope}"),
            _ => string.Create(CultureInfo.InvariantCulture,
                $"{(outcome.Method == ClusteringKinds.KMeans ? "k-means" : "k-medoids")}: k={outcome.ChosenK} by silhouette {outcome.Clusterings[0].Silhouette:F3}, over {scope}"),
        };
    }
}
