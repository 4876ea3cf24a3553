using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;

namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// <c>re train --data DIR [--aggregation att|avg|one] [--optimizer sgd|adam] [--lr X] [--epochs N]
/// [--batch-size N] [--seed N] [--patience N] [--max-length N] [--word2vec FILE] [--out FILE] [--threads N]
/// [--checkpoints DIR]</c>: trains on an OpenNRE-format folder with the job's code path, evaluates on its test
/// set and prints one JSON object.
/// </summary>
public static class RelationCommandLine
{
    public const string Usage =
        "Usage: re train --data DIR [--aggregation att|avg|one] [--optimizer sgd|adam] [--lr X] [--epochs N] " +
        "[--batch-size N] [--seed N] [--patience N] [--max-length N] [--word2vec FILE] [--out FILE] [--threads N] [--checkpoints DIR]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly string[] Known =
        ["data", "aggregation", "optimizer", "lr", "epochs", "batch-size", "seed", "patience", "max-length", "word2vec", "out", "threads", "checkpoints"];

    public static async Task<int> RunAsync(string[] args, int defaultThreads, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || args[0] != "train")
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        Dictionary<string, string> values;
        PcnnOptions options;
        int threads;
        try
        {
            values = CommandLineOptions.Parse(args[1..], Known);
            options = ToOptions(values);
            threads = values.TryGetValue("threads", out var t) ? Int(t, "threads") : defaultThreads;
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync(e.Message);
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var problems = options.Validate().ToList();
        if (!values.ContainsKey("data")) problems.Insert(0, "--data DIR is required.");
        if (threads < 1) problems.Add($"--threads must be at least 1 (got {threads}).");
        if (problems.Count > 0)
        {
            await error.WriteLineAsync(string.Join(Environment.NewLine, problems));
            return 2;
        }

        torch.set_num_threads(threads);
        RelationCorpus corpus;
        try
        {
            corpus = OpenNreFormat.Load(values["data"]);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        var device = torch.CPU;
        var deviceName = $"cpu ({threads} thread{(threads == 1 ? "" : "s")})";
        if (torch.cuda.is_available())
        {
            device = torch.CUDA;
            deviceName = "cuda";
        }

        using var result = await PcnnTrainer.TrainAsync(corpus, options, device, async (p, _) =>
        {
            if (p.EpochCompleted)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:F4}, dev AUC {p.DevAuc:F4}"));
            }
        }, values.GetValueOrDefault("checkpoints"), ct);

        var scorer = new PcnnScorer(result.Model, device);
        var scoring = Stopwatch.StartNew();
        var bagScores = scorer.ScoreBags(corpus.Test);
        var bagSeconds = scoring.Elapsed.TotalSeconds;
        scoring.Restart();
        var sentenceScores = scorer.ScoreSentences(corpus.Test);
        var sentenceSeconds = scoring.Elapsed.TotalSeconds;
        var predicted = sentenceScores.Select(p => Array.IndexOf(p, p.Max())).ToList();
        var sentences = RelationMetrics.Sentences(predicted, corpus.Test.Select(e => e.Label).ToList(), corpus.Relations);
        var test = RelationMetrics.HeldOut(bagScores, RelationMetrics.GoldLabels(corpus.Test), corpus.Relations, sentences);

        var report = new
        {
            options,
            learningRate = options.EffectiveLearningRate,
            weightDecay = options.EffectiveWeightDecay,
            device = deviceName,
            data = new { dir = values["data"], relations = corpus.Relations.Count, train = corpus.Train.Count, dev = corpus.Dev.Count, test = corpus.Test.Count, vocabulary = result.Model.Vocabulary.Count },
            epochsRun = result.EpochsRun,
            bestEpoch = result.BestEpoch,
            stoppedEarly = result.StoppedEarly,
            devAuc = result.BestDevAuc,
            trainSentencesPerSecond = result.TrainSentencesPerSecond,
            scoringSentencesPerSecond = corpus.Test.Count / Math.Max(1e-9, sentenceSeconds),
            bagScoringSentencesPerSecond = corpus.Test.Count / Math.Max(1e-9, bagSeconds),
            trainingSeconds = result.TrainingSeconds,
            history = result.History,
            test,
        };
        var json = JsonSerializer.Serialize(report, Json);
        await output.WriteLineAsync(json);
        if (values.TryGetValue("out", out var outPath)) await File.WriteAllTextAsync(outPath, json + "\n", ct);
        return 0;
    }

    private static PcnnOptions ToOptions(Dictionary<string, string> v)
    {
        var o = new PcnnOptions();
        if (v.TryGetValue("aggregation", out var a))
        {
            o = o with
            {
                Aggregation = a.ToLowerInvariant() switch
                {
                    "att" => BagAggregation.Att,
                    "avg" or "ave" => BagAggregation.Avg,
                    "one" => BagAggregation.One,
                    _ => throw new FormatException($"--aggregation must be att, avg or one (got '{a}')."),
                },
            };
        }
        if (v.TryGetValue("optimizer", out var opt))
        {
            o = o with
            {
                Optimizer = opt.ToLowerInvariant() switch
                {
                    "sgd" => PcnnOptimizer.Sgd,
                    "adam" => PcnnOptimizer.Adam,
                    _ => throw new FormatException($"--optimizer must be sgd or adam (got '{opt}')."),
                },
            };
        }
        if (v.TryGetValue("lr", out var lr))
        {
            o = o with
            {
                LearningRate = double.TryParse(lr, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                    ? x : throw new FormatException($"--lr must be a number (got '{lr}')."),
            };
        }
        if (v.TryGetValue("epochs", out var e)) o = o with { Epochs = Int(e, "epochs") };
        if (v.TryGetValue("batch-size", out var b)) o = o with { BatchSize = Int(b, "batch-size") };
        if (v.TryGetValue("seed", out var s)) o = o with { Seed = Int(s, "seed") };
        if (v.TryGetValue("patience", out var p)) o = o with { Patience = Int(p, "patience") };
        if (v.TryGetValue("max-length", out var m)) o = o with { MaxLength = Int(m, "max-length") };
        if (v.TryGetValue("word2vec", out var w)) o = o with { Word2VecPath = w };
        return o;
    }

    private static int Int(string value, string name) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x)
            ? x : throw new FormatException($"--{name} must be a whole number (got '{value}').");
}
