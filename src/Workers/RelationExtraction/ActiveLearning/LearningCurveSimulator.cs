using System.Diagnostics;
using System.Text.Json.Serialization;
using WebApp.Domain.RelationExtraction.ActiveLearning;
using static TorchSharp.torch;

namespace WebApp.Workers.RelationExtraction.ActiveLearning;

/// <summary>
/// What a simulation learns from. <see cref="Train"/> carries the distant labels (several examples may share a
/// candidate <see cref="RelationExample.Id"/>, one per label of its pair); <see cref="TrainGold"/> is what the
/// simulated expert answers, per candidate id (candidates without gold are never asked). <see cref="Test"/> carries
/// the labels the held-out AUC is measured against; <see cref="TestGold"/> the gold for sentence-level F1.
/// </summary>
public sealed record LearningCurveData(
    IReadOnlyList<string> Relations,
    IReadOnlyList<RelationExample> Train,
    IReadOnlyDictionary<long, int> TrainGold,
    IReadOnlyList<RelationExample> Test,
    IReadOnlyDictionary<long, int> TestGold);

/// <summary>
/// How a simulation runs: strategies (random is always added as the baseline), seeds <see cref="FirstSeed"/> …
/// <see cref="FirstSeed"/> + <see cref="Seeds"/> − 1, rounds of <see cref="BatchSize"/> expert labels, each
/// followed by training from scratch with <see cref="Model"/> (its seed is replaced by the run's seed).
/// <see cref="MaxPool"/> keeps a sample (drawn with <see cref="FirstSeed"/>, the same for every seed) of that many
/// training candidates; null keeps all.
/// </summary>
public sealed record LearningCurveOptions
{
    public IReadOnlyList<QueryStrategy> Strategies { get; init; } =
        [QueryStrategy.Random, QueryStrategy.LeastConfidence, QueryStrategy.Margin, QueryStrategy.Entropy, QueryStrategy.DiverseMargin];

    public int Seeds { get; init; } = 3;
    public int FirstSeed { get; init; } = 1;
    public int Rounds { get; init; } = 5;
    public int BatchSize { get; init; } = 100;
    public float ExpertWeight { get; init; } = 2;
    public int? MaxPool { get; init; }
    /// <summary>
    /// Each round starts from the previous round's weights (round 1 from the distant-only model), as a warm-started
    /// retraining does; otherwise every round trains from scratch.
    /// </summary>
    public bool WarmStart { get; init; }
    public PcnnOptions Model { get; init; } = new() { Epochs = 4, Patience = 0 };

    [JsonIgnore]
    public IReadOnlyList<QueryStrategy> EffectiveStrategies => Strategies.Prepend(QueryStrategy.Random).Distinct().ToList();

    public IEnumerable<string> Validate()
    {
        if (Seeds is < 1 or > 100) yield return $"Seeds must be 1–100 (got {Seeds}).";
        if (Rounds is < 1 or > 1000) yield return $"Rounds must be 1–1000 (got {Rounds}).";
        if (BatchSize is < 1 or > 100_000) yield return $"Batch must be 1–100000 labels (got {BatchSize}).";
        if (!(ExpertWeight > 0) || float.IsInfinity(ExpertWeight)) yield return $"Expert weight must be a positive number (got {ExpertWeight}).";
        if (MaxPool is < 1) yield return $"The pool cap must be at least 1 (got {MaxPool}).";
        foreach (var problem in Model.Validate()) yield return problem;
    }
}

public sealed record LearningCurveResult(
    LearningCurveOptions Options,
    int PoolCandidates,
    int TrainExamples,
    int TestExamples,
    int TestGoldSentences,
    IReadOnlyList<LearningCurve> Curves,
    IReadOnlyList<StrategySummary> Summary,
    LearningCurveHeadline Headline,
    double Seconds);

/// <summary>Progress: <see cref="Step"/> of <see cref="Steps"/> trainings done.</summary>
public sealed record LearningCurveProgress(int Step, int Steps, string Message);

/// <summary>
/// Simulates active learning with an expert who answers from gold: per seed, a model trained on the distant labels
/// (shared by every strategy: training is deterministic for a seed), then per strategy and round a batch of training
/// candidates chosen by the strategy from the current model's scores, their labels replaced by gold (one example per
/// candidate, weight <see cref="LearningCurveOptions.ExpertWeight"/>), a model trained from scratch, and its held-out
/// AUC and sentence-level micro F1 on the test split. Deterministic for the options (TorchSharp's global random
/// generator must not be used by anything else in the process meanwhile).
/// </summary>
public static class LearningCurveSimulator
{
    public static async Task<LearningCurveResult> RunAsync(LearningCurveData data, LearningCurveOptions options, Device device,
        Func<LearningCurveProgress, CancellationToken, Task>? onProgress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(device);
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));
        var clock = Stopwatch.StartNew();

        var train = data.Train;
        if (options.MaxPool is { } cap)
        {
            var ids = train.Select(e => e.Id).Distinct().Order().ToArray();
            new Random(options.FirstSeed).Shuffle(ids);
            var kept = ids.Take(cap).ToHashSet();
            train = train.Where(e => kept.Contains(e.Id)).ToList();
        }
        // One example per askable candidate (its first), in id order: what the strategies score.
        var pool = train.Where(e => data.TrainGold.ContainsKey(e.Id)).GroupBy(e => e.Id).Select(g => g.First())
            .OrderBy(e => e.Id).ToList();
        if (pool.Count == 0) throw new ArgumentException("No training candidate has a gold label to answer with.", nameof(data));
        var testGold = data.Test.Where(e => data.TestGold.ContainsKey(e.Id)).GroupBy(e => e.Id).Select(g => g.First() with { Label = data.TestGold[g.Key] })
            .OrderBy(e => e.Id).ToList();
        var heldOutGold = RelationMetrics.GoldLabels(data.Test);

        var strategies = options.EffectiveStrategies;
        var needRepresentations = strategies.Contains(QueryStrategy.DiverseMargin);
        var steps = options.Seeds * (1 + strategies.Count * options.Rounds);
        var step = 0;
        var curves = new List<LearningCurve>();

        for (var s = 0; s < options.Seeds; s++)
        {
            var seed = options.FirstSeed + s;
            var modelOptions = options.Model with { Seed = seed };
            var roundClock = Stopwatch.StartNew();
            CurvePoint start;
            IReadOnlyList<PoolItem> startScores;
            using var startResult = await TrainAsync(data.Relations, train, modelOptions, device, null, ct);
            {
                var (f1, auc) = Evaluate(startResult.Model, device, data, testGold, heldOutGold);
                start = new CurvePoint(0, 0, f1, auc, roundClock.Elapsed.TotalSeconds);
                startScores = Score(startResult.Model, device, pool, needRepresentations);
            }
            await Report(onProgress, ++step, steps, $"seed {seed}: distant labels only, F1 {start.F1:F3}, AUC {start.Auc:F3}", ct);

            foreach (var strategy in strategies)
            {
                var points = new List<CurvePoint> { start };
                var labelled = new HashSet<long>();
                var scores = startScores;
                PcnnTrainingResult? previous = null;
                for (var round = 1; round <= options.Rounds; round++)
                {
                    roundClock.Restart();
                    var chosen = QueryStrategies.Select(scores, labelled, strategy, options.BatchSize, seed * 1000 + round);
                    labelled.UnionWith(chosen);
                    var corpus = WithExpertLabels(train, labelled, data.TrainGold, options.ExpertWeight);
                    var parent = options.WarmStart ? (previous ?? startResult).Model : null;
                    var result = await TrainAsync(data.Relations, corpus, modelOptions, device, parent, ct);
                    previous?.Dispose();
                    previous = result;
                    var (f1, auc) = Evaluate(result.Model, device, data, testGold, heldOutGold);
                    points.Add(new CurvePoint(round, labelled.Count, f1, auc, roundClock.Elapsed.TotalSeconds));
                    if (round < options.Rounds)
                        scores = Score(result.Model, device, pool.Where(e => !labelled.Contains(e.Id)).ToList(), needRepresentations && strategy == QueryStrategy.DiverseMargin);
                    await Report(onProgress, ++step, steps,
                        $"seed {seed} · {QueryStrategies.Name(strategy)} · round {round}/{options.Rounds}: {labelled.Count} labels, F1 {f1:F3}, AUC {auc:F3}", ct);
                }
                previous?.Dispose();
                curves.Add(new LearningCurve(QueryStrategies.Name(strategy), seed, points));
            }
        }

        var summary = strategies.Select(st => Summarise(QueryStrategies.Name(st), curves.Where(c => c.Strategy == QueryStrategies.Name(st)).ToList())).ToList();
        var headline = Headline(summary, options.Rounds * options.BatchSize);
        return new LearningCurveResult(options, pool.Count, train.Count, data.Test.Count, testGold.Count, curves, summary, headline,
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>The training examples with every labelled candidate's examples replaced by one gold example of the given weight.</summary>
    public static List<RelationExample> WithExpertLabels(IReadOnlyList<RelationExample> train, IReadOnlySet<long> labelled,
        IReadOnlyDictionary<long, int> gold, float weight)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(labelled);
        ArgumentNullException.ThrowIfNull(gold);
        var result = new List<RelationExample>(train.Count);
        var done = new HashSet<long>();
        foreach (var e in train)
        {
            if (!labelled.Contains(e.Id))
                result.Add(e);
            else if (done.Add(e.Id))
                result.Add(e with { Label = gold[e.Id], Weight = weight });
        }
        return result;
    }

    /// <summary>
    /// Linear interpolation on a mean curve: the labels at which <paramref name="target"/> is first reached; 0 when
    /// the first point already reaches it, null when no point does.
    /// </summary>
    public static double? LabelsToReach(IReadOnlyList<(int Labels, double Value)> curve, double target)
    {
        ArgumentNullException.ThrowIfNull(curve);
        for (var i = 0; i < curve.Count; i++)
        {
            if (curve[i].Value < target) continue;
            if (i == 0) return curve[0].Labels;
            var (x0, y0) = curve[i - 1];
            var (x1, y1) = curve[i];
            return x0 + (x1 - x0) * (target - y0) / (y1 - y0);
        }
        return null;
    }

    private static StrategySummary Summarise(string strategy, List<LearningCurve> curves)
    {
        var points = new List<CurveSummaryPoint>();
        for (var i = 0; i < curves[0].Points.Count; i++)
        {
            var f1 = curves.Select(c => c.Points[i].F1).ToList();
            var auc = curves.Select(c => c.Points[i].Auc).ToList();
            points.Add(new CurveSummaryPoint(curves[0].Points[i].Labels, f1.Average(), f1.Min(), f1.Max(), Sd(f1),
                auc.Average(), auc.Min(), auc.Max(), Sd(auc)));
        }
        return new StrategySummary(strategy, points, null, null);
    }

    private static LearningCurveHeadline Headline(List<StrategySummary> summary, int budget)
    {
        var random = summary.Single(s => s.Strategy == QueryStrategies.Name(QueryStrategy.Random));
        var targetF1 = random.Points[^1].MeanF1;
        var targetAuc = random.Points[^1].MeanAuc;
        for (var i = 0; i < summary.Count; i++)
        {
            summary[i] = summary[i] with
            {
                LabelsToRandomF1 = LabelsToReach(summary[i].Points.Select(p => (p.Labels, p.MeanF1)).ToList(), targetF1),
                LabelsToRandomAuc = LabelsToReach(summary[i].Points.Select(p => (p.Labels, p.MeanAuc)).ToList(), targetAuc),
            };
        }
        var others = summary.Where(s => s != random && s.Strategy != random.Strategy).ToList();
        var bestF1 = others.Where(s => s.LabelsToRandomF1 is not null).OrderBy(s => s.LabelsToRandomF1).FirstOrDefault();
        var bestAuc = others.Where(s => s.LabelsToRandomAuc is not null).OrderBy(s => s.LabelsToRandomAuc).FirstOrDefault();
        return new LearningCurveHeadline(budget, targetF1, targetAuc,
            bestF1?.Strategy, bestF1?.LabelsToRandomF1, bestF1?.LabelsToRandomF1 / budget,
            bestAuc?.Strategy, bestAuc?.LabelsToRandomAuc, bestAuc?.LabelsToRandomAuc / budget);
    }

    private static double Sd(List<double> values)
    {
        if (values.Count < 2) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static async Task<PcnnTrainingResult> TrainAsync(IReadOnlyList<string> relations, IReadOnlyList<RelationExample> train,
        PcnnOptions options, Device device, PcnnTrainedModel? warmStartFrom, CancellationToken ct) =>
        await PcnnTrainer.TrainAsync(new RelationCorpus(relations, train, [], []), options, device, null, null, warmStartFrom, ct);

    private static (double F1, double Auc) Evaluate(PcnnTrainedModel model, Device device, LearningCurveData data,
        List<RelationExample> testGold, Dictionary<string, HashSet<int>> heldOutGold)
    {
        var scorer = new PcnnScorer(model, device);
        var auc = data.Test.Count == 0 ? 0 : RelationMetrics.HeldOut(scorer.ScoreBags(data.Test), heldOutGold, data.Relations).Auc;
        double f1 = 0;
        if (testGold.Count > 0)
        {
            var predicted = scorer.ScoreSentences(testGold).Select(ArgMax).ToList();
            f1 = RelationMetrics.Sentences(predicted, testGold.Select(e => e.Label).ToList(), data.Relations).MicroF1;
        }
        return (f1, auc);
    }

    private static List<PoolItem> Score(PcnnTrainedModel model, Device device, List<RelationExample> pool, bool representations)
    {
        var scorer = new PcnnScorer(model, device);
        if (!representations)
            return scorer.ScoreSentences(pool).Select((p, i) => new PoolItem(pool[i].Id, p)).ToList();
        return scorer.Analyse(pool).Select((a, i) => new PoolItem(pool[i].Id, a.Probabilities, a.Representation)).ToList();
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static Task Report(Func<LearningCurveProgress, CancellationToken, Task>? onProgress, int step, int steps, string message,
        CancellationToken ct) =>
        onProgress is null ? Task.CompletedTask : onProgress(new LearningCurveProgress(step, steps, message), ct);
}
