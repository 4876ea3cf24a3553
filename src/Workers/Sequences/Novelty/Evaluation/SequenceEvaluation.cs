using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Workers.Sequences.Clustering;
using static TorchSharp.torch;

namespace WebApp.Workers.Sequences.Novelty.Evaluation;

/// <summary>The methods of the comparison: clusterings with a next-event LSTM per cluster, and the two baselines.</summary>
public static class EvaluationMethods
{
    public const string Curated = ClusteringKinds.Curated;
    public const string KMeans = ClusteringKinds.KMeans;
    public const string KMedoids = ClusteringKinds.KMedoids;
    public const string Lda = ClusteringKinds.Lda;
    /// <summary>One LSTM on all training sessions.</summary>
    public const string Global = "global";
    /// <summary>Window n-grams of normal training (STIDE-like).</summary>
    public const string Stide = "stide";
    /// <summary>The global LSTM's next events outside its top g (DeepLog's rule).</summary>
    public const string DeepLog = "deeplog";

    public static readonly IReadOnlyList<string> Clusterings = [KMeans, KMedoids, Lda, Global];
}

public sealed record SequenceEvaluationSettings
{
    /// <summary>Which clustered methods to run (<see cref="EvaluationMethods"/>); curated needs <see cref="Curated"/>.</summary>
    public IReadOnlyList<string> Clusterings { get; init; } = EvaluationMethods.Clusterings;
    public CuratedClusteringFile? Curated { get; init; }
    public double TargetFalsePositiveRate { get; init; } = 0.01;
    /// <summary>Share of the training sessions held out (before anything else) as normal validation data for thresholds.</summary>
    public double ValidationShare { get; init; } = 0.1;
    /// <summary>Seeds the validation split and the automatic clusterings.</summary>
    public int Seed { get; init; } = 1;
    public NextEventTrainingSettings Lstm { get; init; } = new();
    /// <summary>k-means and k-medoids try k = MinK…MaxK and keep the best silhouette; single LDA does so over its ensemble.</summary>
    public int MinK { get; init; } = 2;
    public int MaxK { get; init; } = 10;
    public int LdaMinK { get; init; } = 2;
    public int LdaMaxK { get; init; } = 8;
    public int ClusteringIterations { get; init; } = 200;
    public int StideWindow { get; init; } = 2;
    public int TopG { get; init; } = NoveltyMath.DefaultTopG;
    /// <summary>A cluster with fewer training sessions (or no validation session) gets no model: the global model scores it.</summary>
    public int MinClusterTrainSessions { get; init; } = 20;

    public IEnumerable<string> Validate()
    {
        foreach (var method in Clusterings)
        {
            if (!EvaluationMethods.Clusterings.Contains(method) && method != EvaluationMethods.Curated)
                yield return $"Unknown clustering '{method}'.";
        }
        if (Clusterings.Contains(EvaluationMethods.Curated) && Curated is null) yield return "The curated clustering needs its file.";
        if (!(TargetFalsePositiveRate >= 0 && TargetFalsePositiveRate < 1)) yield return "The target false-positive rate must be in [0, 1).";
        if (!(ValidationShare > 0 && ValidationShare < 1)) yield return "The validation share must be in (0, 1).";
        if (MinK < 2 || MaxK < MinK || LdaMinK < 2 || LdaMaxK < LdaMinK) yield return "k ranges must start at 2 or more and not be empty.";
        if (StideWindow < 1) yield return "The STIDE window must be at least 1.";
        if (TopG < 1) yield return "g must be at least 1.";
        foreach (var problem in Lstm.Validate()) yield return problem;
    }
}

/// <summary>
/// The comparison behind <c>seq evaluate</c>, one code path for every method: the training sessions are split into
/// model training and held-out normal validation first (whole sessions, before anything is windowed or
/// deduplicated); each clustering is fitted on all training sessions (unsupervised, as the curator sees them) and
/// every session — training, validation, test — goes to a cluster by <see cref="NewSequenceAssigner"/>; one LSTM per
/// cluster is trained on its training sessions (clusters too small, and Others, use the global LSTM); a session is
/// novel when its perplexity is above its model's threshold, the (1 − target FPR) percentile of that model's
/// validation perplexities. STIDE (trained on the same training sessions) and the DeepLog rule (on the global LSTM)
/// flag by their published rules: any unseen window, any next event outside the top g.
/// </summary>
public static class SequenceEvaluation
{
    private const int RocPoints = 100;

    public static async Task<SequenceEvaluationResult> RunAsync(EvaluationData data, SequenceEvaluationSettings settings, Device device,
        TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(log);
        var problems = settings.Validate().ToList();
        if (data.Train.Count < 2) problems.Add("The evaluation needs at least two training sessions.");
        if (data.TestNormal.Count == 0 || data.TestNovel.Count == 0) problems.Add("Both test sets need sequences.");
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(settings));

        var clock = Stopwatch.StartNew();
        var vocabulary = data.EventNames.Count;
        var (train, validation) = NextEventTrainer.SplitValidation(data.Train, settings.ValidationShare, settings.Seed);
        var tests = new TestSets(data.TestNormal, data.TestNovel);
        var methods = new List<MethodFigures>();

        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"global LSTM: {train.Count} training, {validation.Count} validation sessions"));
        var global = TrainModel(train, validation, vocabulary, settings, device, ct);
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"global LSTM trained in {global.Training.Seconds:F1} s"));
        using var globalScorer = new NextEventScorer(global.Training.Weights, device);
        var globalNormal = globalScorer.Score([.. data.TestNormal], settings.TopG, ct);
        var globalNovel = globalScorer.Score([.. data.TestNovel], settings.TopG, ct);
        var globalThreshold = NoveltyMath.Threshold(global.Training.ValidationScores, settings.TargetFalsePositiveRate);

        var corpus = SequenceCorpus.Create(data.EventNames, [.. Enumerable.Range(1, data.Train.Count).Select(i => (long)i)], data.Train);
        var ldaEnsembles = new Dictionary<(int Seed, int MinK, int MaxK), SequenceClusteringOutcome>();
        foreach (var method in settings.Clusterings.Distinct())
        {
            ct.ThrowIfCancellationRequested();
            var clusteringClock = Stopwatch.StartNew();
            var (name, assigner, clusterNames) = method == EvaluationMethods.Global
                ? ("one global LSTM", NewSequenceAssigner.Global(), [])
                : await ClusteringAsync(method, corpus, settings, ldaEnsembles, ct);
            var clusteringSeconds = clusteringClock.Elapsed.TotalSeconds;
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{method}: {name} in {clusteringSeconds:F1} s"));
            methods.Add(await ClusteredAsync(method, name, assigner, clusterNames, clusteringSeconds, train, validation, tests, vocabulary,
                global, globalThreshold, globalNormal, globalNovel, settings, device, log, ct));
        }

        // The baselines keep their published rules, as in the anchors: DeepLog flags a session with any next event outside
        // the global LSTM's top g, STIDE one with any window normal training never showed. Their scores still rank for ROC.
        methods.Add(Unclustered(EvaluationMethods.DeepLog, string.Create(CultureInfo.InvariantCulture, $"DeepLog rule (top-{settings.TopG} misses of the global LSTM)"),
            "next events outside the global LSTM's top g", [.. globalNormal.Select(s => (double)s.TopGMisses)],
            [.. globalNovel.Select(s => (double)s.TopGMisses)], tests, 0));
        var stideClock = Stopwatch.StartNew();
        var stide = WindowNgramModel.Fit(train, settings.StideWindow);
        methods.Add(Unclustered(EvaluationMethods.Stide, string.Create(CultureInfo.InvariantCulture, $"STIDE window {settings.StideWindow}"),
            "share of windows never seen in training", [.. data.TestNormal.Select(s => stide.Score(s).Score)],
            [.. data.TestNovel.Select(s => stide.Score(s).Score)], tests, stideClock.Elapsed.TotalSeconds));

        var trainingKeys = new HashSet<string>(data.Train.Select(Key), StringComparer.Ordinal);
        var figures = new EvaluationDataFigures(vocabulary, data.Train.Count, train.Count, validation.Count, data.TestNormal.Count,
            tests.NormalDistinct.Length, data.TestNormal.Count(s => trainingKeys.Contains(Key(s))), data.TestNovel.Count, tests.NovelDistinct.Length);
        return new SequenceEvaluationResult(figures, settings, methods, clock.Elapsed.TotalSeconds, device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu");
    }

    private sealed record TrainedModel(NextEventTrainingResult Training, int TrainSessions, int ValidationSessions);

    /// <summary>Test sets with the position of the first copy of each distinct sequence (the deduplicated view).</summary>
    private sealed class TestSets(IReadOnlyList<int[]> normal, IReadOnlyList<int[]> novel)
    {
        public IReadOnlyList<int[]> Normal { get; } = normal;
        public IReadOnlyList<int[]> Novel { get; } = novel;
        public int[] NormalDistinct { get; } = FirstCopies(normal);
        public int[] NovelDistinct { get; } = FirstCopies(novel);

        private static int[] FirstCopies(IReadOnlyList<int[]> sequences)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            return [.. Enumerable.Range(0, sequences.Count).Where(i => seen.Add(Key(sequences[i])))];
        }
    }

    private static string Key(int[] sequence) => string.Join(' ', sequence);

    private static TrainedModel TrainModel(IReadOnlyList<int[]> train, IReadOnlyList<int[]> validation, int vocabulary,
        SequenceEvaluationSettings settings, Device device, CancellationToken ct) =>
        new(NextEventTrainer.Train(train, validation, vocabulary, settings.Lstm, device, null, ct), train.Count, validation.Count);

    private static async Task<(string Name, NewSequenceAssigner Assigner, IReadOnlyList<string> ClusterNames)> ClusteringAsync(string method,
        SequenceCorpus corpus, SequenceEvaluationSettings settings, Dictionary<(int, int, int), SequenceClusteringOutcome> ldaEnsembles,
        CancellationToken ct)
    {
        switch (method)
        {
            case EvaluationMethods.Curated:
                {
                    var file = settings.Curated!;
                    var ensemble = await LdaEnsembleAsync(corpus, file.EnsembleSeed, file.MinK, file.MaxK, settings, ldaEnsembles, ct);
                    var models = ensemble.TopicModels.Select(m => new EnsembleModel($"k{m.TopicCount}", m.Topics)).ToList();
                    var categories = file.ToCategories();
                    return (string.Create(CultureInfo.InvariantCulture, $"curated: {categories.Count} categories over LDA k={file.MinK}…{file.MaxK} (seed {file.EnsembleSeed}), Others below {file.Threshold:0.00}"),
                        NewSequenceAssigner.Curated(models, categories, file.Threshold), [.. categories.Select(c => c.Name)]);
                }
            case EvaluationMethods.Lda:
                {
                    var ensemble = await LdaEnsembleAsync(corpus, settings.Seed, settings.LdaMinK, settings.LdaMaxK, settings, ldaEnsembles, ct);
                    var best = ensemble.Clusterings.MaxBy(c => c.Silhouette)!;
                    var model = ensemble.TopicModels.Single(m => m.TopicCount == best.TopicCount);
                    return (best.Name + string.Create(CultureInfo.InvariantCulture, $", k by silhouette ({best.Silhouette:F3})"),
                        NewSequenceAssigner.SingleLda(new EnsembleModel($"k{model.TopicCount}", model.Topics)), [.. best.Clusters.Select(c => c.Name)]);
                }
            default:
                {
                    var outcome = await SequenceClusterer.RunAsync(corpus,
                        new SequenceClusteringParameters(0, method, settings.MinK, settings.MaxK, settings.Seed, settings.ClusteringIterations),
                        new LdaSettings(), (_, _, _) => Task.CompletedTask, ct);
                    var clustering = outcome.Clusterings.Single();
                    var centers = clustering.Clusters.Select(c => JsonDocument.Parse(c.Center).RootElement).ToList();
                    var assigner = method == EvaluationMethods.KMeans
                        ? NewSequenceAssigner.KMeans([.. centers.Select(c => c.GetProperty("centroid").Deserialize<float[]>()!)])
                        : NewSequenceAssigner.KMedoids([.. centers.Select(c => c.GetProperty("events").Deserialize<int[]>()!)]);
                    return (clustering.Name, assigner, [.. clustering.Clusters.Select(c => c.Name)]);
                }
        }
    }

    /// <summary>The LDA ensemble of <c>seq cluster --method lda</c>, fitted once per seed and range of k.</summary>
    private static async Task<SequenceClusteringOutcome> LdaEnsembleAsync(SequenceCorpus corpus, int seed, int minK, int maxK,
        SequenceEvaluationSettings settings, Dictionary<(int, int, int), SequenceClusteringOutcome> cache, CancellationToken ct)
    {
        if (!cache.TryGetValue((seed, minK, maxK), out var ensemble))
        {
            ensemble = await SequenceClusterer.RunAsync(corpus,
                new SequenceClusteringParameters(0, ClusteringKinds.Lda, minK, maxK, seed, settings.ClusteringIterations),
                new LdaSettings(), (_, _, _) => Task.CompletedTask, ct);
            cache[(seed, minK, maxK)] = ensemble;
        }
        return ensemble;
    }

    private static async Task<MethodFigures> ClusteredAsync(string method, string name, NewSequenceAssigner assigner, IReadOnlyList<string> clusterNames,
        double clusteringSeconds, IReadOnlyList<int[]> train, IReadOnlyList<int[]> validation, TestSets tests, int vocabulary,
        TrainedModel global, double globalThreshold, NextEventScore[] globalNormal, NextEventScore[] globalNovel,
        SequenceEvaluationSettings settings, Device device, TextWriter log, CancellationToken ct)
    {
        // Cluster position, or −1 for Others (the global model).
        int Assign(int[] events) => assigner.Assign(events).Cluster ?? -1;
        var trainLabels = train.Select(Assign).ToArray();
        var validationLabels = validation.Select(Assign).ToArray();
        var normalLabels = tests.Normal.Select(Assign).ToArray();
        var novelLabels = tests.Novel.Select(Assign).ToArray();

        var normalScores = globalNormal.Select(s => s.Perplexity).ToArray();
        var novelScores = globalNovel.Select(s => s.Perplexity).ToArray();
        var normalThresholds = Enumerable.Repeat(globalThreshold, normalScores.Length).ToArray();
        var novelThresholds = Enumerable.Repeat(globalThreshold, novelScores.Length).ToArray();
        var clusters = new List<ClusterFigures>();
        double trainingSeconds = 0;
        var groups = clusterNames.Select((clusterName, c) => (Name: clusterName, Label: c)).Append(("Others", -1));
        foreach (var (clusterName, label) in groups)
        {
            ct.ThrowIfCancellationRequested();
            var clusterTrain = Members(train, trainLabels, label);
            var clusterValidation = Members(validation, validationLabels, label);
            var normalMembers = Positions(normalLabels, label);
            var novelMembers = Positions(novelLabels, label);
            if (method == EvaluationMethods.Global)
            {
                clusterTrain = [.. train];
                clusterValidation = [.. validation];
            }
            else if (label == -1 && clusterTrain.Count + normalMembers.Length + novelMembers.Length == 0)
            {
                continue;
            }
            var own = method != EvaluationMethods.Global && label >= 0
                && clusterTrain.Count >= settings.MinClusterTrainSessions && clusterValidation.Count > 0;
            var threshold = globalThreshold;
            TrainedModel? model = null;
            if (own)
            {
                model = TrainModel(clusterTrain, clusterValidation, vocabulary, settings, device, ct);
                trainingSeconds += model.Training.Seconds;
                threshold = NoveltyMath.Threshold(model.Training.ValidationScores, settings.TargetFalsePositiveRate);
                using var scorer = new NextEventScorer(model.Training.Weights, device);
                var normal = scorer.Score([.. normalMembers.Select(i => tests.Normal[i])], settings.TopG, ct);
                var novel = scorer.Score([.. novelMembers.Select(i => tests.Novel[i])], settings.TopG, ct);
                for (var j = 0; j < normalMembers.Length; j++)
                {
                    normalScores[normalMembers[j]] = normal[j].Perplexity;
                    normalThresholds[normalMembers[j]] = threshold;
                }
                for (var j = 0; j < novelMembers.Length; j++)
                {
                    novelScores[novelMembers[j]] = novel[j].Perplexity;
                    novelThresholds[novelMembers[j]] = threshold;
                }
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{method} · {clusterName}: {clusterTrain.Count} training sessions, trained in {model.Training.Seconds:F1} s, threshold {threshold:F3}"));
            }
            double[] memberNormal = [.. normalMembers.Select(i => normalScores[i])];
            double[] memberNovel = [.. novelMembers.Select(i => novelScores[i])];
            var trained = model ?? global;
            clusters.Add(new ClusterFigures(label >= 0 ? clusterName : method == EvaluationMethods.Global ? "All sessions" : "Others (global model)", own || method == EvaluationMethods.Global,
                clusterTrain.Count, clusterValidation.Count, threshold, trained.Training.ValidationPerplexity,
                own ? trained.Training.Seconds : method == EvaluationMethods.Global ? global.Training.Seconds : 0,
                string.Create(CultureInfo.InvariantCulture, $"embedding {trained.Training.EmbeddingSize}, hidden {trained.Training.HiddenSize}, {trained.Training.Layers} layer(s), {trained.Training.Epochs} epochs"),
                normalMembers.Length, novelMembers.Length, DetectionMetrics.RocAuc(memberNormal, memberNovel),
                DetectionMetrics.AveragePrecision(memberNormal, memberNovel),
                normalMembers.Length + novelMembers.Length == 0 ? double.NaN
                : DetectionMetrics.FromFlags([.. memberNormal.Select((s, j) => s > normalThresholds[normalMembers[j]])],
                    [.. memberNovel.Select((s, j) => s > novelThresholds[novelMembers[j]])]).F1));
        }
        if (method == EvaluationMethods.Global) trainingSeconds = global.Training.Seconds;

        bool[] normalFlags = [.. normalScores.Select((s, i) => s > normalThresholds[i])];
        bool[] novelFlags = [.. novelScores.Select((s, i) => s > novelThresholds[i])];
        return new MethodFigures(method, name, method == EvaluationMethods.Global ? "perplexity under the global LSTM" : "perplexity under the cluster's LSTM (Others: global)",
            Figures(normalScores, novelScores, normalFlags, novelFlags, null, null),
            Figures(normalScores, novelScores, normalFlags, novelFlags, tests.NormalDistinct, tests.NovelDistinct),
            clusters, clusteringSeconds, trainingSeconds, DetectionMetrics.RocCurve(normalScores, novelScores, RocPoints));
    }

    /// <summary>A baseline: one score per session, novel when above 0 (any miss, any unseen window).</summary>
    private static MethodFigures Unclustered(string method, string name, string score, double[] normal, double[] novel, TestSets tests, double seconds)
    {
        bool[] normalFlags = [.. normal.Select(s => s > 0)];
        bool[] novelFlags = [.. novel.Select(s => s > 0)];
        return new MethodFigures(method, name, score,
            Figures(normal, novel, normalFlags, novelFlags, null, null),
            Figures(normal, novel, normalFlags, novelFlags, tests.NormalDistinct, tests.NovelDistinct),
            [], 0, seconds, DetectionMetrics.RocCurve(normal, novel, RocPoints));
    }

    /// <summary>The figures on all sessions, or on the given positions (each distinct sequence once).</summary>
    private static DetectionFigures Figures(double[] normal, double[] novel, bool[] normalFlags, bool[] novelFlags, int[]? normalOnly, int[]? novelOnly)
    {
        if (normalOnly is not null && novelOnly is not null)
        {
            normal = [.. normalOnly.Select(i => normal[i])];
            normalFlags = [.. normalOnly.Select(i => normalFlags[i])];
            novel = [.. novelOnly.Select(i => novel[i])];
            novelFlags = [.. novelOnly.Select(i => novelFlags[i])];
        }
        var outcome = DetectionMetrics.FromFlags(normalFlags, novelFlags);
        return new DetectionFigures(DetectionMetrics.RocAuc(normal, novel), DetectionMetrics.AveragePrecision(normal, novel),
            outcome.Precision, outcome.Recall, outcome.F1, outcome.FalsePositiveRate, outcome.TruePositives, outcome.FalsePositives,
            normal.Length, novel.Length);
    }

    private static List<int[]> Members(IReadOnlyList<int[]> sequences, int[] labels, int label) =>
        [.. sequences.Where((_, i) => labels[i] == label)];

    private static int[] Positions(int[] labels, int label) => [.. Enumerable.Range(0, labels.Length).Where(i => labels[i] == label)];
}
