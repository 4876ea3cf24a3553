using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Workers.Sequences.Clustering;

namespace WebApp.Workers.Sequences.Novelty;

/// <summary>
/// <c>seq lstm --train F --test-normal F --test-novel F [--validation-share X] [--fpr X] [--top-g N] [--seed N]
/// [--embedding 16,32] [--hidden 32,64] [--layers N] [--epochs N] [--patience N] [--batch N] [--lr X] [--weights-out F]</c>:
/// trains a global next-event LSTM on a lines file (event types numbered by first appearance there; a test event never
/// seen in training is unknown) with a seeded held-out validation split of its sessions, scores both test files in batch,
/// times single-sequence scoring with <see cref="LstmInference"/>, and prints JSON: training figures, the threshold for
/// the target false-positive rate, ROC-AUC of perplexity and of top-g misses, the flagged shares, throughput and latency.
/// </summary>
public static class NextEventCommandLine
{
    public const string Usage =
        "Usage: seq lstm --train F --test-normal F --test-novel F [--validation-share X] [--fpr X] [--top-g N] [--seed N] " +
        "[--embedding 16,32] [--hidden 32,64] [--layers N] [--epochs N] [--patience N] [--batch N] [--lr X] [--weights-out F]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static readonly string[] Known =
        ["train", "test-normal", "test-novel", "validation-share", "fpr", "top-g", "seed", "embedding", "hidden", "layers", "epochs", "patience",
         "batch", "lr", "weights-out"];

    /// <summary>Single sequences timed for the online latency figure.</summary>
    private const int LatencySamples = 2000;

    public static async Task<int> RunAsync(string[] args, int torchThreads, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Dictionary<string, string> values;
        NextEventTrainingSettings settings;
        double validationShare, falsePositiveRate;
        int topG;
        try
        {
            if (args.Length == 0 || args[0] != "lstm") throw new FormatException("Expected the lstm command.");
            values = CommandLineOptions.Parse(args[1..], Known);
            if (!values.ContainsKey("train") || !values.ContainsKey("test-normal") || !values.ContainsKey("test-novel"))
            {
                throw new FormatException("--train, --test-normal and --test-novel are required.");
            }
            var defaults = new NextEventTrainingSettings();
            settings = defaults with
            {
                EmbeddingSizes = values.TryGetValue("embedding", out var e) ? Ints(e, "embedding") : defaults.EmbeddingSizes,
                HiddenSizes = values.TryGetValue("hidden", out var h) ? Ints(h, "hidden") : defaults.HiddenSizes,
                Layers = values.TryGetValue("layers", out var l) ? Ints(l, "layers")[0] : defaults.Layers,
                MaxEpochs = values.TryGetValue("epochs", out var n) ? Ints(n, "epochs")[0] : defaults.MaxEpochs,
                Patience = values.TryGetValue("patience", out var p) ? Ints(p, "patience")[0] : defaults.Patience,
                BatchSize = values.TryGetValue("batch", out var b) ? Ints(b, "batch")[0] : defaults.BatchSize,
                Seed = values.TryGetValue("seed", out var s) ? Ints(s, "seed")[0] : defaults.Seed,
                LearningRate = values.TryGetValue("lr", out var r) ? Number(r, "lr") : defaults.LearningRate,
            };
            validationShare = values.TryGetValue("validation-share", out var v) ? Number(v, "validation-share") : 0.1;
            falsePositiveRate = values.TryGetValue("fpr", out var f) ? Number(f, "fpr") : 0.01;
            topG = values.TryGetValue("top-g", out var g) ? Ints(g, "top-g")[0] : NoveltyMath.DefaultTopG;
            var problems = settings.Validate();
            if (problems.Count > 0) throw new FormatException(string.Join(" ", problems));
            if (validationShare is <= 0 or >= 1) throw new FormatException("--validation-share must be in (0, 1).");
            if (falsePositiveRate is < 0 or >= 1) throw new FormatException("--fpr must be in [0, 1).");
            if (topG < 1) throw new FormatException("--top-g must be at least 1.");
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync(e.Message);
            await error.WriteLineAsync(Usage);
            return 2;
        }
        foreach (var key in new[] { "train", "test-normal", "test-novel" })
        {
            if (!File.Exists(values[key]))
            {
                await error.WriteLineAsync($"{values[key]}: no such file");
                return 2;
            }
        }

        torch.set_num_threads(torchThreads);
        SequenceCorpus corpus;
        using (var reader = File.OpenText(values["train"])) corpus = SequenceCorpus.ReadLines(reader);
        var eventIndex = corpus.EventNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var normal = ReadTest(values["test-normal"], eventIndex);
        var novel = ReadTest(values["test-novel"], eventIndex);
        var (train, validation) = NextEventTrainer.SplitValidation(corpus.Sequences, validationShare, settings.Seed);

        var result = NextEventTrainer.Train(train, validation, corpus.VocabularySize, settings, torch.CPU, null, ct);
        if (values.TryGetValue("weights-out", out var weightsPath)) await File.WriteAllBytesAsync(weightsPath, result.Weights.ToBytes(), ct);
        var threshold = NoveltyMath.Threshold(result.ValidationScores, falsePositiveRate);

        using var scorer = new NextEventScorer(result.Weights, torch.CPU);
        var all = normal.Concat(novel).ToList();
        scorer.Score(all.Take(1000).ToList(), topG, ct); // warm-up
        var clock = Stopwatch.StartNew();
        var scores = scorer.Score(all, topG, ct);
        var scoringSeconds = clock.Elapsed.TotalSeconds;
        var labels = all.Select((_, i) => i >= normal.Count).ToArray();

        var online = new LstmInference(result.Weights);
        var sample = new Random(settings.Seed);
        // Warm-up: the first calls pay for JIT compilation, which a running web server has long paid.
        for (var i = 0; i < 200; i++) online.Score(all[sample.Next(all.Count)], topG);
        var latencies = new double[LatencySamples];
        double largestDifference = 0;
        for (var i = 0; i < LatencySamples; i++)
        {
            var at = sample.Next(all.Count);
            var started = Stopwatch.GetTimestamp();
            var single = online.Score(all[at], topG);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            largestDifference = Math.Max(largestDifference, Math.Abs(Math.Log(single.Perplexity) - Math.Log(scores[at].Perplexity)));
        }
        Array.Sort(latencies);

        await output.WriteLineAsync(JsonSerializer.Serialize(new
        {
            trainSessions = train.Count,
            validationSessions = validation.Count,
            distinctTrainSessions = NextEventTrainer.Distinct(train).Sequences.Count,
            eventTypes = corpus.VocabularySize,
            chosen = new { result.EmbeddingSize, result.HiddenSize, result.Layers, bestEpoch = result.Epochs },
            validationPerplexity = Math.Round(result.ValidationPerplexity, 4),
            grid = result.Grid,
            trainingSeconds = Math.Round(result.Seconds, 2),
            result.Device,
            torchThreads,
            targetFalsePositiveRate = falsePositiveRate,
            threshold = Math.Round(threshold, 4),
            testNormal = normal.Count,
            testNovel = novel.Count,
            perplexity = Detection(scores.Select(s => s.Perplexity).ToArray(), labels, threshold),
            topGMisses = Detection(scores.Select(s => (double)s.TopGMisses).ToArray(), labels, 0),
            topG,
            batchScoring = new
            {
                sequences = all.Count,
                distinct = NextEventTrainer.Distinct(all).Sequences.Count,
                seconds = Math.Round(scoringSeconds, 3),
                sequencesPerSecond = Math.Round(all.Count / scoringSeconds),
            },
            onlineScoringMs = new { p50 = Math.Round(latencies[LatencySamples / 2], 4), p99 = Math.Round(latencies[(int)(LatencySamples * 0.99)], 4), max = Math.Round(latencies[^1], 4) },
            largestLogPerplexityDifferenceBatchVsOnline = largestDifference,
        }, Json));
        return 0;
    }

    /// <summary>ROC-AUC of a score (ties counted half) and the flagged shares when score &gt; threshold.</summary>
    private static object Detection(double[] scores, bool[] novel, double threshold)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double rankSumNovel = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) if (novel[order[k]]) rankSumNovel += averageRank;
            start = end + 1;
        }
        double positives = novel.Count(x => x), negatives = novel.Length - positives;
        var auc = (rankSumNovel - positives * (positives + 1) / 2) / (positives * negatives);
        double truePositives = 0, falsePositives = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] <= threshold) continue;
            if (novel[i]) truePositives++;
            else falsePositives++;
        }
        var precision = truePositives + falsePositives == 0 ? 0 : truePositives / (truePositives + falsePositives);
        var recall = truePositives / positives;
        return new
        {
            rocAuc = Math.Round(auc, 4),
            threshold,
            truePositiveRate = Math.Round(recall, 4),
            falsePositiveRate = Math.Round(falsePositives / negatives, 4),
            f1 = Math.Round(precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall), 4),
        };
    }

    private static List<int[]> ReadTest(string path, Dictionary<string, int> eventIndex)
    {
        var sequences = new List<int[]>();
        foreach (var line in File.ReadLines(path))
        {
            var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (tokens.Length == 0) continue;
            sequences.Add(tokens.Select(t => eventIndex.TryGetValue(t, out var e) ? e : -1).ToArray());
        }
        return sequences;
    }

    private static int[] Ints(string text, string option)
    {
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => int.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray() is { Length: > 0 } parsed
                ? parsed
                : throw new FormatException($"--{option} needs a value.");
        }
        catch (OverflowException)
        {
            throw new FormatException($"--{option}: '{text}' is out of range.");
        }
        catch (FormatException) when (text.Length > 0)
        {
            throw new FormatException($"--{option}: '{text}' is not a whole number (or a comma-separated list of them).");
        }
    }

    private static double Number(string text, string option) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"--{option}: '{text}' is not a number.");
}
