using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using WebApp.Domain.RelationExtraction.ActiveLearning;

namespace WebApp.Workers.RelationExtraction.ActiveLearning;

/// <summary>
/// <c>re simulate --data DIR [--gold FILE] [--strategies random,margin,entropy,least-confidence,diverse] [--seeds N]
/// [--first-seed N] [--rounds N] [--batch N] [--epochs N] [--train-batch N] [--expert-weight X] [--max-pool N] [--warm-start true|false] [--threads N] [--out FILE]</c>:
/// the learning-curve simulation of <see cref="LearningCurveSimulator"/> (the job's code path) on an OpenNRE folder.
/// train.txt carries the distant labels; the simulated expert answers from the gold file (OpenNRE JSONL whose "id"
/// fields name the train.txt lines; default DIR/gold.jsonl, else DIR/../sentences.jsonl). test.txt's labels are the
/// held-out facts; sentence-level gold is the gold file's label for a test line's id, else the test line's own label.
/// val.txt is not used (the simulation trains a fixed number of epochs). Prints the result as JSON.
/// </summary>
public static class LearningCurveCommandLine
{
    public const string Usage =
        "Usage: re simulate --data DIR [--gold FILE] [--strategies random,margin,entropy,least-confidence,diverse] [--seeds N] " +
        "[--first-seed N] [--rounds N] [--batch N] [--epochs N] [--train-batch N] [--expert-weight X] [--max-pool N] [--warm-start true|false] [--threads N] [--out FILE]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private static readonly string[] Known =
        ["data", "gold", "strategies", "seeds", "first-seed", "rounds", "batch", "epochs", "train-batch", "expert-weight", "max-pool", "warm-start", "threads", "out"];

    /// <summary><paramref name="args"/> start after "simulate".</summary>
    public static async Task<int> RunAsync(string[] args, int defaultThreads, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Dictionary<string, string> values;
        LearningCurveOptions options;
        int threads;
        try
        {
            values = CommandLineOptions.Parse(args, Known);
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
            await error.WriteLineAsync(Usage);
            return 2;
        }

        LearningCurveData data;
        try
        {
            data = Load(values["data"], values.GetValueOrDefault("gold"));
        }
        catch (Exception e) when (e is IOException or FormatException or JsonException)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        torch.set_num_threads(threads);
        var device = torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        var result = await LearningCurveSimulator.RunAsync(data, options, device,
            async (p, _) => await error.WriteLineAsync($"[{p.Step}/{p.Steps}] {p.Message}"), ct);
        var json = JsonSerializer.Serialize(new { data = values["data"], device = device.type.ToString(), threads, result }, Json);
        await output.WriteLineAsync(json);
        if (values.TryGetValue("out", out var outPath)) await File.WriteAllTextAsync(outPath, json + "\n", ct);
        return 0;
    }

    /// <summary>The folder's corpus with train gold joined by the "id" field of the gold file.</summary>
    public static LearningCurveData Load(string dir, string? goldPath)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var corpus = OpenNreFormat.Load(dir);
        goldPath ??= new[] { Path.Combine(dir, "gold.jsonl"), Path.Combine(dir, "..", "sentences.jsonl") }.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"No gold file: pass --gold FILE, or put gold.jsonl in '{dir}'.");
        var index = corpus.Relations.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var gold = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, relation) in Lines(goldPath))
        {
            if (id is null) continue;
            gold[id] = index.TryGetValue(relation, out var r) ? r
                : relation is "no_relation" or "Other" ? 0
                : throw new FormatException($"{goldPath}: relation '{relation}' of '{id}' is not in rel2id.json.");
        }
        var trainGold = Join(Path.Combine(dir, "train.txt"), gold, null);
        var testPath = Path.Combine(dir, "test.txt");
        var testGold = File.Exists(testPath) ? Join(testPath, gold, corpus.Test) : [];
        if (trainGold.Count == 0) throw new FormatException($"No train.txt line's \"id\" is in the gold file '{goldPath}'.");
        return new LearningCurveData(corpus.Relations, corpus.Train, trainGold, corpus.Test, testGold);
    }

    /// <summary>Gold per example id (the line's index, as <see cref="OpenNreFormat.Load"/> numbers them).</summary>
    private static Dictionary<long, int> Join(string path, Dictionary<string, int> gold, IReadOnlyList<RelationExample>? fallback)
    {
        var result = new Dictionary<long, int>();
        long i = 0;
        foreach (var (id, _) in Lines(path))
        {
            if (id is not null && gold.TryGetValue(id, out var g)) result[i] = g;
            else if (fallback is not null) result[i] = fallback[(int)i].Label;
            i++;
        }
        return result;
    }

    private static IEnumerable<(string? Id, string Relation)> Lines(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            var relation = root.TryGetProperty("relation", out var r) ? r.GetString() ?? "" : "";
            yield return (id, relation);
        }
    }

    private static LearningCurveOptions ToOptions(Dictionary<string, string> v)
    {
        var o = new LearningCurveOptions();
        if (v.TryGetValue("strategies", out var s))
        {
            o = o with
            {
                Strategies = s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(n => QueryStrategies.Names.TryGetValue(n, out var q) ? q
                        : throw new FormatException($"Unknown strategy '{n}' (known: {string.Join(", ", QueryStrategies.Names.Keys)}).")).ToList(),
            };
        }
        if (v.TryGetValue("seeds", out var seeds)) o = o with { Seeds = Int(seeds, "seeds") };
        if (v.TryGetValue("first-seed", out var first)) o = o with { FirstSeed = Int(first, "first-seed") };
        if (v.TryGetValue("rounds", out var rounds)) o = o with { Rounds = Int(rounds, "rounds") };
        if (v.TryGetValue("batch", out var batch)) o = o with { BatchSize = Int(batch, "batch") };
        if (v.TryGetValue("epochs", out var epochs)) o = o with { Model = o.Model with { Epochs = Int(epochs, "epochs") } };
        if (v.TryGetValue("train-batch", out var tb)) o = o with { Model = o.Model with { BatchSize = Int(tb, "train-batch") } };
        if (v.TryGetValue("max-pool", out var pool)) o = o with { MaxPool = Int(pool, "max-pool") };
        if (v.TryGetValue("warm-start", out var warm))
        {
            o = o with { WarmStart = bool.TryParse(warm, out var b) ? b : throw new FormatException($"--warm-start must be true or false (got '{warm}').") };
        }
        if (v.TryGetValue("expert-weight", out var w))
        {
            o = o with
            {
                ExpertWeight = float.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                    ? x : throw new FormatException($"--expert-weight must be a number (got '{w}')."),
            };
        }
        return o;
    }

    private static int Int(string value, string name) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x)
            ? x : throw new FormatException($"--{name} must be a whole number (got '{value}').");
}
