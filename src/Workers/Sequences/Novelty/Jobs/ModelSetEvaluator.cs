using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;
using WebApp.Workers.Training;

namespace WebApp.Workers.Sequences.Novelty.Jobs;

/// <summary>
/// Evaluates a model set on its dataset's labelled test part once all of its models have finished (the global one Ready): overall (each sequence
/// under its cluster's model, flagged by that model's threshold), per cluster, and the global model on everything,
/// each also on deduplicated (events, label) pairs. A row lock on the set makes it run once however many jobs finish
/// together.
/// </summary>
public sealed class ModelSetEvaluator(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, TorchDevices devices)
{
    public const string AuditAction = "novelty.model-set-evaluated";

    /// <summary>True when this call stored the evaluation.</summary>
    public Task<bool> EvaluateIfCompleteAsync(int modelSetId, string host, CancellationToken ct) => EvaluateIfCompleteAsync(modelSetId, host, null, ct);

    /// <summary>True when this call stored the evaluation.</summary>
    /// <param name="jobRunId">The run that finished the set: its change is announced again with the evaluation, so open pages show it.</param>
    public async Task<bool> EvaluateIfCompleteAsync(int modelSetId, string host, Guid? jobRunId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var set = await db.NoveltyModelSets.FromSql($"SELECT * FROM \"NoveltyModelSets\" WHERE \"Id\" = {modelSetId} FOR UPDATE").SingleAsync(ct);
        if (set.Evaluation is not null) return false;
        var clusters = set.ClusteringId is { } clusteringId
            ? await db.Clusters.AsNoTracking().Where(c => c.ClusteringId == clusteringId && !c.IsOthers).OrderBy(c => c.Index).ToListAsync(ct)
            : [];
        // Complete when every model has finished and the global one is Ready: a cluster whose model failed (e.g. too
        // few sequences to validate) has its sequences scored by the global model, as Others are.
        var models = await db.NoveltyModels.AsNoTracking().Where(m => m.ModelSetId == modelSetId).Select(m => new { m.ClusterId, m.Status }).ToListAsync(ct);
        var finished = models.Count(m => m.Status is NoveltyModelStatus.Ready or NoveltyModelStatus.Failed);
        if (finished < clusters.Count + 1 || !models.Any(m => m.ClusterId is null && m.Status == NoveltyModelStatus.Ready)) return false;

        var clock = Stopwatch.StartNew();
        var test = await (from sequence in db.EventSequences.AsNoTracking()
                          join label in db.SequenceLabels on sequence.Id equals label.SequenceId
                          where sequence.DatasetId == set.DatasetId && sequence.Part == SequenceParts.Test
                          orderby sequence.Id
                          select new { sequence.Events, label.Label }).ToListAsync(ct);
        var events = test.Select(t => t.Events).ToList();
        var novel = test.Select(t => t.Label == KnownLabel.Novel).ToArray();
        using var scorer = await ModelSetScorer.LoadAsync(db, modelSetId, devices.Device, ct);
        var scores = scorer.Score(events, ct);
        var globalScores = scorer.ScoreGlobally(events, ct);
        var threshold = scorer.GlobalThreshold;

        var keys = events.Select((e, i) => (string.Join(' ', e), novel[i])).ToArray();
        EvaluatedPart Part(IEnumerable<int> members, Func<int, (double Score, bool Flagged)> score)
        {
            var list = members.ToList();
            var distinct = list.DistinctBy(i => keys[i]).ToList();
            DetectionSummary Summary(List<int> of) => DetectionSummary.Of(
                [.. of.Where(i => !novel[i]).Select(score)], [.. of.Where(i => novel[i]).Select(score)]);
            return new EvaluatedPart(Summary(list), Summary(distinct));
        }
        (double, bool) Own(int i) => (scores[i].Score.Perplexity, scores[i].IsNovel);
        var all = Enumerable.Range(0, events.Count).ToList();
        var perCluster = clusters.Select(c => new ClusterEvaluation(c.Id, c.Name, Part(all.Where(i => scores[i].ClusterId == c.Id), Own))).ToList();
        if (set.ClusteringId is not null)
            perCluster.Add(new ClusterEvaluation(null, "Others (global model)", Part(all.Where(i => scores[i].ClusterId is null), Own)));
        var evaluation = new NoveltyEvaluation(events.Count, keys.Distinct().Count(), Part(all, Own),
            Part(all, i => (globalScores[i].Perplexity, globalScores[i].Perplexity > threshold)), perCluster,
            Math.Round(clock.Elapsed.TotalSeconds, 3), DateTime.UtcNow,
            [.. all.GroupBy(i => scores[i].ModelId).Select(g => new ModelTestScores(g.Key,
                [.. g.Where(i => !novel[i]).Select(i => (float)scores[i].Score.Perplexity).Order()],
                [.. g.Where(i => novel[i]).Select(i => (float)scores[i].Score.Perplexity).Order()]))]);

        set.Evaluation = JsonSerializer.Serialize(evaluation, JobJson.Options);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, AuditActor.System($"worker {host}"), AuditAction, nameof(NoveltyModelSet),
            modelSetId.ToString(CultureInfo.InvariantCulture), null, new
            {
                evaluation.TestSequences,
                evaluation.DistinctTestSequences,
                OverallRocAuc = evaluation.Overall.All.RocAuc,
                OverallF1 = evaluation.Overall.All.F1,
                GlobalRocAuc = evaluation.Global.All.RocAuc,
            }, ct);
        // The run itself finished before the evaluation (its NOTIFY came first): without a second one the page would say
        // "Not evaluated" until reloaded. Inside the transaction, PostgreSQL delivers it on commit, with the evaluation there.
        if (jobRunId is { } runId) await JobRunReporter.NotifyAsync(db, runId, ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
