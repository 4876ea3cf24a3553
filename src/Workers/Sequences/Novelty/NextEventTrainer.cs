using System.Diagnostics;
using TorchSharp;
using WebApp.Domain.Sequences.Novelty;
using static TorchSharp.torch;

namespace WebApp.Workers.Sequences.Novelty;

/// <summary>
/// Trains next-event LSTMs on whole sequences (+ End): distinct sequences weighted by how often they occur (the
/// same loss as training on every occurrence, in fewer steps), batches of similar length in shuffled order, padding
/// masked out of the loss, Adam with gradient clipping, early stopping on validation perplexity keeping the best
/// epoch, over a grid of embedding × hidden sizes. Deterministic for a seed on the CPU, provided nothing else in
/// the process draws from torch's global generator meanwhile.
/// </summary>
public static class NextEventTrainer
{
    /// <summary>Distinct sequences scored per batch outside training.</summary>
    internal const int EvaluationBatchSize = 512;

    /// <summary>Output values (sequences × positions × tokens) per batch outside training: about 32 MB of floats.</summary>
    internal const long EvaluationCells = 8_000_000;

    public static NextEventTrainingResult Train(IReadOnlyList<int[]> train, IReadOnlyList<int[]> validation, int datasetVocabularySize,
        NextEventTrainingSettings settings, Device device, IProgress<NextEventProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(device);
        var problems = settings.Validate().ToList();
        if (train.Count == 0) problems.Add("There are no training sequences.");
        if (validation.Count == 0) problems.Add("There are no validation sequences.");
        if (datasetVocabularySize < 1) problems.Add("The dataset has no event types.");
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(settings));

        var clock = Stopwatch.StartNew();
        var vocabulary = new NextEventVocabulary(datasetVocabularySize);
        var trainSet = Distinct(train);
        var validationSet = Distinct(validation);
        var grid = settings.EmbeddingSizes.SelectMany(e => settings.HiddenSizes.Select(h => (e, h))).ToList();
        var points = new List<NextEventGridPoint>();
        NextEventWeights? bestWeights = null;
        var bestPerplexity = double.PositiveInfinity;
        var bestEpochs = 0;
        for (var g = 0; g < grid.Count; g++)
        {
            var (embeddingSize, hiddenSize) = grid[g];
            var pointClock = Stopwatch.StartNew();
            var (weights, perplexity, bestEpoch, epochs) = TrainOne(vocabulary, trainSet, validationSet, embeddingSize, hiddenSize, settings, device,
                (epoch, loss, validationPerplexity) => progress?.Report(new NextEventProgress(g, grid.Count, embeddingSize, hiddenSize, epoch,
                    settings.MaxEpochs, loss, validationPerplexity)), ct);
            points.Add(new NextEventGridPoint(embeddingSize, hiddenSize, perplexity, bestEpoch, epochs, pointClock.Elapsed.TotalSeconds));
            if (perplexity < bestPerplexity)
            {
                bestPerplexity = perplexity;
                bestWeights = weights;
                bestEpochs = bestEpoch;
            }
        }
        var chosen = bestWeights ?? throw new InvalidOperationException("No grid point produced a model.");
        using var scorer = new NextEventScorer(chosen, device);
        var scores = scorer.Score(validation, NoveltyMath.DefaultTopG, ct).Select(s => (float)s.Perplexity).Order().ToArray();
        return new NextEventTrainingResult(chosen, chosen.EmbeddingSize, chosen.HiddenSize, settings.Layers, bestEpochs, bestPerplexity, scores,
            points, clock.Elapsed.TotalSeconds, device.type == DeviceType.CUDA ? "cuda" : "cpu");
    }

    /// <summary>
    /// Splits sessions (before any deduplication) into training and held-out validation: a seeded shuffle, the last
    /// <paramref name="validationShare"/> (at least one sequence when there are two or more) held out.
    /// </summary>
    public static (IReadOnlyList<int[]> Train, IReadOnlyList<int[]> Validation) SplitValidation(IReadOnlyList<int[]> sequences,
        double validationShare, int seed)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegative(validationShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(validationShare, 1);
        var order = Enumerable.Range(0, sequences.Count).ToArray();
        new Random(seed).Shuffle(order);
        var held = sequences.Count < 2 ? 0 : Math.Max(1, (int)Math.Round(sequences.Count * validationShare));
        var validation = order[..held].Order().Select(i => sequences[i]).ToList();
        var train = order[held..].Order().Select(i => sequences[i]).ToList();
        return (train, validation);
    }

    /// <summary>Distinct sequences (first-seen order) and how often each occurs.</summary>
    internal static (List<int[]> Sequences, List<float> Counts) Distinct(IEnumerable<int[]> sequences)
    {
        var index = new Dictionary<int[], int>(SequenceComparer.Instance);
        var distinct = new List<int[]>();
        var counts = new List<float>();
        foreach (var sequence in sequences)
        {
            if (index.TryGetValue(sequence, out var at))
            {
                counts[at]++;
                continue;
            }
            index[sequence] = distinct.Count;
            distinct.Add(sequence);
            counts.Add(1);
        }
        return (distinct, counts);
    }

    /// <summary>
    /// Runs of indexes into <paramref name="sequences"/>, sorted by length: at most <paramref name="batchSize"/>
    /// sequences, and (when a run holds more than one) at most <paramref name="maxCells"/> output values
    /// (sequences × (longest + 1) × <paramref name="tokens"/>), so long sequences never make a batch outgrow memory.
    /// </summary>
    public static List<int[]> LengthBatches(IReadOnlyList<int[]> sequences, int batchSize, int tokens = 1, long maxCells = long.MaxValue)
    {
        var sorted = Enumerable.Range(0, sequences.Count).OrderBy(i => sequences[i].Length).ThenBy(i => i).ToArray();
        var batches = new List<int[]>();
        var current = new List<int>();
        foreach (var index in sorted)
        {
            var cells = (long)(current.Count + 1) * (sequences[index].Length + 1) * tokens;
            if (current.Count > 0 && (current.Count == batchSize || cells > maxCells))
            {
                batches.Add([.. current]);
                current.Clear();
            }
            current.Add(index);
        }
        if (current.Count > 0) batches.Add([.. current]);
        return batches;
    }

    private static (NextEventWeights Weights, double Perplexity, int BestEpoch, int Epochs) TrainOne(NextEventVocabulary vocabulary,
        (List<int[]> Sequences, List<float> Counts) train, (List<int[]> Sequences, List<float> Counts) validation,
        int embeddingSize, int hiddenSize, NextEventTrainingSettings settings, Device device,
        Action<int, double, double> onEpoch, CancellationToken ct)
    {
        random.manual_seed(settings.Seed);
        var shuffle = new Random(settings.Seed);
        using var model = new NextEventLstm(vocabulary, embeddingSize, hiddenSize, settings.Layers);
        model.to(device);
        using var optimizer = optim.Adam(model.parameters(), lr: settings.LearningRate);
        var batches = LengthBatches(train.Sequences, settings.BatchSize)
            .Select(b => NextEventBatch.Create(vocabulary, b.Select(i => train.Sequences[i]).ToList(), b.Select(i => train.Counts[i]).ToList(), device))
            .ToArray();
        var validationBatches = LengthBatches(validation.Sequences, EvaluationBatchSize, vocabulary.Size, EvaluationCells)
            .Select(b => NextEventBatch.Create(vocabulary, b.Select(i => validation.Sequences[i]).ToList(), b.Select(i => validation.Counts[i]).ToList(), device))
            .ToArray();
        try
        {
            NextEventWeights? best = null;
            var bestPerplexity = double.PositiveInfinity;
            var bestEpoch = 0;
            var epoch = 0;
            while (epoch < settings.MaxEpochs)
            {
                epoch++;
                model.train();
                shuffle.Shuffle(batches);
                double lossSum = 0, weightSum = 0;
                foreach (var batch in batches)
                {
                    ct.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var loss = batch.Loss(model.forward(batch.Inputs));
                    optimizer.zero_grad();
                    loss.backward();
                    nn.utils.clip_grad_norm_(model.parameters(), settings.GradientClipNorm);
                    optimizer.step();
                    var tokens = (batch.Mask.sum(1) * batch.Weights).sum().item<float>();
                    lossSum += loss.item<float>() * tokens;
                    weightSum += tokens;
                }
                var perplexity = CorpusPerplexity(model, validationBatches, ct);
                onEpoch(epoch, lossSum / weightSum, perplexity);
                if (perplexity < bestPerplexity)
                {
                    bestPerplexity = perplexity;
                    bestEpoch = epoch;
                    best = model.ExportWeights();
                }
                else if (settings.Patience > 0 && epoch - bestEpoch >= settings.Patience)
                {
                    break;
                }
            }
            return (best ?? model.ExportWeights(), bestPerplexity, bestEpoch, epoch);
        }
        finally
        {
            foreach (var batch in batches) batch.Dispose();
            foreach (var batch in validationBatches) batch.Dispose();
        }
    }

    /// <summary>exp(Σ w·Σ −log p / Σ w·length) over all validation predictions.</summary>
    private static double CorpusPerplexity(NextEventLstm model, NextEventBatch[] batches, CancellationToken ct)
    {
        model.eval();
        using var noGrad = no_grad();
        double negativeLogLikelihood = 0, tokens = 0;
        foreach (var batch in batches)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var perSequence = batch.TargetLogProbabilities(model.forward(batch.Inputs)).sum(1).neg();
            negativeLogLikelihood += (perSequence * batch.Weights).sum().item<float>();
            tokens += (batch.Mask.sum(1) * batch.Weights).sum().item<float>();
        }
        return Math.Exp(negativeLogLikelihood / tokens);
    }
}

/// <summary>Compares event sequences by content.</summary>
internal sealed class SequenceComparer : IEqualityComparer<int[]>
{
    public static readonly SequenceComparer Instance = new();

    public bool Equals(int[]? x, int[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(int[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
        return hash.ToHashCode();
    }
}
