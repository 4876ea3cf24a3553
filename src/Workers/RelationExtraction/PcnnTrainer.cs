using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// Trains a <see cref="PcnnModel"/>: training bags are (pair, relation), dev bags are pairs; batches of bags
/// with similar sentence lengths, each padded to its longest sentence; loss weighted by the bags' mean example
/// weight; the best epoch by dev AUC is kept; early stopping; deterministic for a seed on CPU (any thread
/// count), provided nothing else in the process seeds or draws from torch's global random generator at the
/// same time (initialisation and dropout use it).
/// </summary>
public static class PcnnTrainer
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>Batches are formed inside runs of this many batches' worth of shuffled bags, sorted by length.</summary>
    private const int BucketBatches = 20;

    public static Task<PcnnTrainingResult> TrainAsync(
        RelationCorpus corpus, PcnnOptions options, Device device,
        Func<PcnnProgress, CancellationToken, Task>? onProgress, string? checkpointDirectory, CancellationToken ct) =>
        TrainAsync(corpus, options, device, onProgress, checkpointDirectory, warmStartFrom: null, ct);

    /// <summary>
    /// As the other overload; with <paramref name="warmStartFrom"/>, the network starts from that model's weights
    /// where it is compatible (<see cref="PcnnWarmStart"/>), else from scratch; the result says which and why.
    /// </summary>
    public static async Task<PcnnTrainingResult> TrainAsync(
        RelationCorpus corpus, PcnnOptions options, Device device,
        Func<PcnnProgress, CancellationToken, Task>? onProgress, string? checkpointDirectory, PcnnTrainedModel? warmStartFrom,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(device);
        var problems = options.Validate().Concat(corpus.Validate()).ToList();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));

        var clock = Stopwatch.StartNew();
        random.manual_seed(options.Seed);
        var shuffle = new Random(options.Seed);
        var vectors = options.Word2VecPath is null ? null : WordVectors.Load(options.Word2VecPath);
        var vocabulary = Vocabulary.Build(corpus.Train, options.MinWordCount, options.MaxVocabulary, vectors);
        var wordDim = vectors?.Dim ?? options.WordDim;
        var model = new PcnnModel(vocabulary.Count, wordDim, corpus.Relations.Count, options);
        var trained = new PcnnTrainedModel(model, vocabulary, corpus.Relations, options, wordDim);
        try
        {
            if (vectors is not null) model.SetWordVectors(vocabulary, vectors);
            PcnnWarmStartOutcome? warmStart = null;
            if (warmStartFrom is not null)
            {
                warmStart = PcnnWarmStart.Incompatibility(warmStartFrom, corpus.Relations, options, wordDim) is { } reason
                    ? PcnnWarmStartOutcome.Skipped(reason)
                    : new PcnnWarmStartOutcome(true, null, PcnnWarmStart.Apply(warmStartFrom, trained));
            }
            model.to(device);
            var train = corpus.Train.Select(trained.Encode).ToArray();
            var trainBags = TrainingBags(corpus.Train);
            var dev = corpus.Dev.Select(trained.Encode).ToArray();
            var devBags = corpus.Dev.Select((e, i) => (e.BagKey, i)).GroupBy(p => p.BagKey, StringComparer.Ordinal)
                .Select(g => (Key: g.Key, Members: (IReadOnlyList<int>)g.Select(p => p.i).ToList())).ToList();
            var devGold = RelationMetrics.GoldLabels(corpus.Dev);
            var scorer = new PcnnScorer(trained, device);

            using var optimizer = new PcnnParameterUpdate(model.parameters(), options.Optimizer, options.EffectiveLearningRate, options.EffectiveWeightDecay);

            var history = new List<PcnnEpochStats>();
            byte[]? best = null;
            double? bestAuc = null;
            var bestEpoch = 0;
            var sinceBest = 0;
            var stoppedEarly = false;
            double trainingSeconds = 0;
            long sentencesSeen = 0;
            var lastReport = Stopwatch.StartNew();

            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                var batches = Batches(trainBags, train, options.BatchSize, shuffle);
                model.train();
                double lossSum = 0;
                var bagsSeen = 0;
                var trainClock = Stopwatch.StartNew();
                for (var step = 0; step < batches.Count; step++)
                {
                    ct.ThrowIfCancellationRequested();
                    var bags = batches[step];
                    using (var scope = NewDisposeScope())
                    {
                        using var batch = PcnnBatch.Create(train, bags.Select(b => b.Members).ToList(), device);
                        var labels = tensor(bags.Select(b => (long)b.Label).ToArray()).to(device);
                        var weights = tensor(bags.Select(b => b.Weight).ToArray()).to(device);
                        var representations = model.Encode(batch);
                        var logits = model.TrainingLogits(representations, batch, labels);
                        var loss = (nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None) * weights).mean();
                        optimizer.ZeroGrad();
                        loss.backward();
                        optimizer.Step();
                        lossSum += loss.item<float>() * bags.Count;
                    }
                    bagsSeen += bags.Count;
                    sentencesSeen += bags.Sum(b => b.Members.Count);
                    if (onProgress is not null && lastReport.Elapsed >= ProgressInterval)
                    {
                        lastReport.Restart();
                        await onProgress(new PcnnProgress(epoch, options.Epochs, step + 1, batches.Count, lossSum / bagsSeen, history.Count > 0 ? history[^1].DevAuc : null, false), ct);
                    }
                }
                trainingSeconds += trainClock.Elapsed.TotalSeconds;

                double? devAuc = null;
                if (devBags.Count > 0)
                {
                    ct.ThrowIfCancellationRequested();
                    var probabilities = scorer.ScoreBags(dev, devBags.Select(b => b.Members).ToList());
                    var scores = devBags.Select((b, i) => new BagScores(b.Key, probabilities[i])).ToList();
                    devAuc = RelationMetrics.HeldOut(scores, devGold, corpus.Relations).Auc;
                }
                var meanLoss = lossSum / Math.Max(1, bagsSeen);
                history.Add(new PcnnEpochStats(epoch, meanLoss, devAuc, epochClock.Elapsed.TotalSeconds));

                var improved = devAuc is null || bestAuc is null || devAuc > bestAuc;
                if (improved)
                {
                    bestAuc = devAuc;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    best = Weights(model);
                }
                else
                {
                    sinceBest++;
                }
                if (checkpointDirectory is not null)
                {
                    Directory.CreateDirectory(checkpointDirectory);
                    PcnnModelFile.SaveAtomically(trained, Path.Combine(checkpointDirectory, "last.pcnn"));
                    if (improved) PcnnModelFile.SaveAtomically(trained, Path.Combine(checkpointDirectory, "best.pcnn"));
                }
                if (onProgress is not null)
                {
                    lastReport.Restart();
                    await onProgress(new PcnnProgress(epoch, options.Epochs, batches.Count, batches.Count, meanLoss, devAuc, true), ct);
                }
                if (devAuc is not null && options.Patience > 0 && sinceBest >= options.Patience && epoch < options.Epochs)
                {
                    stoppedEarly = true;
                    break;
                }
            }

            if (best is not null && bestEpoch != history.Count)
            {
                using var stream = new MemoryStream(best);
                model.load(stream);
            }
            model.eval();
            return new PcnnTrainingResult(trained, history, bestEpoch, bestAuc, stoppedEarly,
                trainingSeconds > 0 ? sentencesSeen / trainingSeconds : 0, clock.Elapsed.TotalSeconds, warmStart);
        }
        catch
        {
            trained.Dispose();
            throw;
        }
    }

    private sealed record TrainingBag(IReadOnlyList<int> Members, int Label, float Weight);

    /// <summary>One bag per (pair, relation), in order of first appearance; weight = mean example weight.</summary>
    private static List<TrainingBag> TrainingBags(IReadOnlyList<RelationExample> examples)
    {
        var groups = new Dictionary<(string, int), List<int>>();
        var order = new List<(string, int)>();
        for (var i = 0; i < examples.Count; i++)
        {
            var key = (examples[i].BagKey, examples[i].Label);
            if (!groups.TryGetValue(key, out var members))
            {
                groups[key] = members = [];
                order.Add(key);
            }
            members.Add(i);
        }
        return order.Select(k => new TrainingBag(groups[k], k.Item2, groups[k].Average(i => examples[i].Weight))).ToList();
    }

    /// <summary>Shuffled bags; within runs of <see cref="BucketBatches"/> batches sorted by length; batch order shuffled.</summary>
    private static List<List<TrainingBag>> Batches(List<TrainingBag> bags, EncodedSentence[] sentences, int batchSize, Random shuffle)
    {
        var shuffled = bags.ToArray();
        shuffle.Shuffle(shuffled);
        var batches = new List<List<TrainingBag>>();
        var run = batchSize * BucketBatches;
        for (var start = 0; start < shuffled.Length; start += run)
        {
            var sorted = shuffled.Skip(start).Take(run).OrderBy(b => b.Members.Max(i => sentences[i].Length)).ToList();
            for (var s = 0; s < sorted.Count; s += batchSize) batches.Add(sorted.GetRange(s, Math.Min(batchSize, sorted.Count - s)));
        }
        var order = batches.ToArray();
        shuffle.Shuffle(order);
        return [.. order];
    }

    private static byte[] Weights(PcnnModel model)
    {
        using var stream = new MemoryStream();
        model.save(stream);
        return stream.ToArray();
    }
}
