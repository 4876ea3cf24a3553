using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;

namespace WebApp.Workers.Sequences.Novelty.Evaluation;

/// <summary>
/// <c>seq evaluate --train F --test-normal F --test-novel F [--clustering kmeans,kmedoids,lda,global,FILE] [--target-fpr X]
/// [--seed N] [--validation-share X] [--min-k N] [--max-k N] [--lda-min-k N] [--lda-max-k N] [--min-cluster N]
/// [--stide-window N] [--top-g N] [--embedding 16,32] [--hidden 32,64] [--layers N] [--epochs N] [--patience N]
/// [--batch N] [--lr X] [--out FILE]</c>: the comparison of <see cref="SequenceEvaluation"/> on three lines files
/// (one session per line), printed as JSON (to --out when given: ML.NET's native LDA writes its own lines to standard
/// output). <c>--clustering</c> takes a comma-separated list of methods; an entry that is a file is a curated
/// clustering (<see cref="CuratedClusteringFile"/>). STIDE and the DeepLog rule are always in the result. Progress
/// goes to standard error.
/// </summary>
public static class SequenceEvaluationCommandLine
{
    public const string Usage =
        "Usage: seq evaluate --train F --test-normal F --test-novel F [--clustering kmeans,kmedoids,lda,global,FILE] [--target-fpr 0.01] " +
        "[--seed N] [--validation-share X] [--min-k N] [--max-k N] [--lda-min-k N] [--lda-max-k N] [--min-cluster N] [--stide-window N] " +
        "[--top-g N] [--embedding 16,32] [--hidden 32,64] [--layers N] [--epochs N] [--patience N] [--batch N] [--lr X] [--out FILE]";

    /// <summary>Indented camelCase JSON; figures undefined for a set (ROC-AUC of a cluster with one kind only) are NaN.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly string[] Known =
        ["train", "test-normal", "test-novel", "clustering", "target-fpr", "seed", "validation-share", "min-k", "max-k", "lda-min-k", "lda-max-k",
         "min-cluster", "stide-window", "top-g", "embedding", "hidden", "layers", "epochs", "patience", "batch", "lr", "out"];

    public static async Task<int> RunAsync(string[] args, int torchThreads, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Dictionary<string, string> values;
        SequenceEvaluationSettings settings;
        try
        {
            if (args.Length == 0 || args[0] != "evaluate") throw new FormatException("Expected the evaluate command.");
            values = CommandLineOptions.Parse(args[1..], Known);
            if (!values.ContainsKey("train") || !values.ContainsKey("test-normal") || !values.ContainsKey("test-novel"))
                throw new FormatException("--train, --test-normal and --test-novel are required.");
            foreach (var key in new[] { "train", "test-normal", "test-novel" })
            {
                if (!File.Exists(values[key])) throw new FormatException($"{values[key]}: no such file");
            }
            settings = Settings(values);
            var problems = settings.Validate().ToList();
            if (problems.Count > 0) throw new FormatException(string.Join(" ", problems));
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync(e.Message);
            await error.WriteLineAsync(Usage);
            return 2;
        }

        torch.set_num_threads(torchThreads);
        var device = torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        var data = EvaluationData.Read(values["train"], values["test-normal"], values["test-novel"]);
        SequenceEvaluationResult result;
        try
        {
            result = await SequenceEvaluation.RunAsync(data, settings, device, error, ct);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        var json = JsonSerializer.Serialize(result, Json);
        if (values.TryGetValue("out", out var path)) await File.WriteAllTextAsync(path, json, ct);
        else await output.WriteLineAsync(json);
        return 0;
    }

    private static SequenceEvaluationSettings Settings(Dictionary<string, string> values)
    {
        var defaults = new SequenceEvaluationSettings();
        var lstm = defaults.Lstm;
        var clusterings = new List<string>();
        CuratedClusteringFile? curated = null;
        foreach (var entry in (values.GetValueOrDefault("clustering") ?? string.Join(',', EvaluationMethods.Clusterings))
                 .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (EvaluationMethods.Clusterings.Contains(entry))
            {
                clusterings.Add(entry);
            }
            else if (File.Exists(entry))
            {
                if (curated is not null) throw new FormatException("--clustering takes one curated file.");
                curated = CuratedClusteringFile.Read(entry);
                clusterings.Add(EvaluationMethods.Curated);
            }
            else
            {
                throw new FormatException($"--clustering: '{entry}' is neither kmeans, kmedoids, lda, global nor a file.");
            }
        }
        return defaults with
        {
            Clusterings = clusterings,
            Curated = curated,
            TargetFalsePositiveRate = Number(values, "target-fpr", defaults.TargetFalsePositiveRate),
            Seed = Int(values, "seed", defaults.Seed),
            ValidationShare = Number(values, "validation-share", defaults.ValidationShare),
            MinK = Int(values, "min-k", defaults.MinK),
            MaxK = Int(values, "max-k", defaults.MaxK),
            LdaMinK = Int(values, "lda-min-k", defaults.LdaMinK),
            LdaMaxK = Int(values, "lda-max-k", defaults.LdaMaxK),
            MinClusterTrainSessions = Int(values, "min-cluster", defaults.MinClusterTrainSessions),
            StideWindow = Int(values, "stide-window", defaults.StideWindow),
            TopG = Int(values, "top-g", defaults.TopG),
            Lstm = lstm with
            {
                EmbeddingSizes = values.TryGetValue("embedding", out var e) ? Ints(e, "embedding") : lstm.EmbeddingSizes,
                HiddenSizes = values.TryGetValue("hidden", out var h) ? Ints(h, "hidden") : lstm.HiddenSizes,
                Layers = Int(values, "layers", lstm.Layers),
                MaxEpochs = Int(values, "epochs", lstm.MaxEpochs),
                Patience = Int(values, "patience", lstm.Patience),
                BatchSize = Int(values, "batch", lstm.BatchSize),
                LearningRate = Number(values, "lr", lstm.LearningRate),
                Seed = Int(values, "seed", lstm.Seed),
            },
        };
    }

    private static int Int(Dictionary<string, string> values, string option, int fallback) =>
        values.TryGetValue(option, out var text) ? Ints(text, option) is [var one] ? one : throw new FormatException($"--{option} takes one number.") : fallback;

    private static int[] Ints(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[i]))
                throw new FormatException($"--{option}: '{text}' is not a whole number (or a comma-separated list of them).");
        }
        return result.Length > 0 ? result : throw new FormatException($"--{option} needs a value.");
    }

    private static double Number(Dictionary<string, string> values, string option, double fallback) =>
        !values.TryGetValue(option, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new FormatException($"--{option}: '{text}' is not a number.");
}
