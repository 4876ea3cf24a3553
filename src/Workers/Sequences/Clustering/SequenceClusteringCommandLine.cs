using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Database;
using WebApp.Domain.Sequences;

namespace WebApp.Workers.Sequences.Clustering;

/// <summary>
/// <c>seq cluster (--file PATH | --dataset ID [--connection CS]) [--method lda|kmeans|kmedoids] [--min-k N] [--max-k N]
/// [--seed N] [--iterations N] [--lda-fit distinct|all] [--lda-alpha X] [--out FILE]</c>: runs the job's fitting code
/// on a lines file (one sequence per line) or on a stored dataset's training sequences (in the database of --connection,
/// or else the configured ConnectionStrings:App), stores nothing, and writes one
/// JSON object: timings, the quality per k, and each clustering's clusters with their sizes (and the topics for LDA).
/// ML.NET's native LDA prints its own progress lines to standard output, so for LDA give --out to get clean JSON.
/// </summary>
public static class SequenceClusteringCommandLine
{
    public const string Usage =
        "Usage: seq cluster (--file PATH | --dataset ID [--connection CS]) [--method lda|kmeans|kmedoids] [--min-k N] [--max-k N] " +
        "[--seed N] [--iterations N] [--lda-fit distinct|all] [--lda-alpha X] [--out FILE]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static readonly string[] Known = ["file", "connection", "dataset", "method", "min-k", "max-k", "seed", "iterations", "lda-fit", "lda-alpha", "out"];

    public static async Task<int> RunAsync(string[] args, string? configuredConnection, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || args[0] != "cluster")
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        Dictionary<string, string> values;
        SequenceClusteringParameters parameters;
        LdaSettings settings;
        try
        {
            values = CommandLineOptions.Parse(args[1..], Known);
            var method = values.GetValueOrDefault("method", ClusteringKinds.Lda);
            var datasetId = values.TryGetValue("dataset", out var dataset) ? Int(dataset, "dataset") : 0;
            var defaults = SequenceClusteringParameters.Defaults(datasetId, method);
            parameters = defaults with
            {
                MinK = values.TryGetValue("min-k", out var minK) ? Int(minK, "min-k") : defaults.MinK,
                MaxK = values.TryGetValue("max-k", out var maxK) ? Int(maxK, "max-k") : defaults.MaxK,
                Seed = values.TryGetValue("seed", out var seed) ? Int(seed, "seed") : defaults.Seed,
                Iterations = values.TryGetValue("iterations", out var iterations) ? Int(iterations, "iterations") : defaults.Iterations,
            };
            settings = new LdaSettings();
            if (values.TryGetValue("lda-fit", out var fit))
            {
                settings = settings with
                {
                    FitOnDistinct = fit switch
                    {
                        "distinct" => true,
                        "all" => false,
                        _ => throw new FormatException($"--lda-fit must be distinct or all (got '{fit}')."),
                    },
                };
            }
            if (values.TryGetValue("lda-alpha", out var alpha))
            {
                settings = settings with
                {
                    AlphaSum = float.TryParse(alpha, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) && a > 0
                        ? a : throw new FormatException($"--lda-alpha must be a positive number (got '{alpha}')."),
                };
            }
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync(e.Message);
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var problems = parameters.Validate().ToList();
        if (values.ContainsKey("file") == values.ContainsKey("dataset")) problems.Insert(0, "Give either --file PATH or --dataset ID.");
        if (values.ContainsKey("connection") && !values.ContainsKey("dataset")) problems.Add("--connection goes with --dataset ID.");
        var connection = values.GetValueOrDefault("connection") ?? configuredConnection;
        if (values.ContainsKey("dataset") && string.IsNullOrWhiteSpace(connection))
            problems.Add("--dataset needs a database: give --connection CS or set ConnectionStrings__App.");
        if (problems.Count > 0)
        {
            await error.WriteLineAsync(string.Join(Environment.NewLine, problems));
            return 2;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        SequenceCorpus corpus;
        try
        {
            corpus = await LoadAsync(values.GetValueOrDefault("file"), connection, parameters.DatasetId, ct);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        var loadSeconds = clock.Elapsed.TotalSeconds;
        SequenceClusteringOutcome outcome;
        try
        {
            outcome = await SequenceClusterer.RunAsync(corpus, parameters, settings,
                async (_, message, token) => await error.WriteLineAsync(message.AsMemory(), token), ct);
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        var json = JsonSerializer.Serialize(Summary(corpus, parameters, settings, outcome, loadSeconds), Json);
        if (values.TryGetValue("out", out var outFile)) await File.WriteAllTextAsync(outFile, json + Environment.NewLine, ct);
        else await output.WriteLineAsync(json);
        return 0;
    }

    private static async Task<SequenceCorpus> LoadAsync(string? file, string? connection, int datasetId, CancellationToken ct)
    {
        if (file is not null)
        {
            using var reader = new StreamReader(file);
            return SequenceCorpus.ReadLines(reader);
        }
        var options = new DbContextOptionsBuilder<AppDbContext>();
        options.ConfigureAppDatabase(connection!);
        await using var db = new AppDbContext(options.Options);
        return await SequenceCorpus.LoadAsync(db, datasetId, ct);
    }

    private static object Summary(SequenceCorpus corpus, SequenceClusteringParameters parameters, LdaSettings settings,
        SequenceClusteringOutcome outcome, double loadSeconds) => new
        {
            parameters.Method,
            parameters.MinK,
            parameters.MaxK,
            parameters.Seed,
            parameters.Iterations,
            lda = parameters.Method == ClusteringKinds.Lda ? settings : null,
            threads = 1,
            sequences = outcome.SequenceCount,
            distinct = outcome.DistinctCount,
            distinctForDistances = outcome.DistinctForDistances,
            loadSeconds = Math.Round(loadSeconds, 3),
            seconds = Math.Round(outcome.Seconds, 3),
            outcome.ChosenK,
            perK = outcome.PerK.Select(q => new { q.K, silhouette = Math.Round(q.Silhouette, 4), seconds = Math.Round(q.Seconds, 3) }),
            topicModels = outcome.TopicModels.Select(m => new
            {
                k = m.TopicCount,
                seconds = Math.Round(m.Seconds, 3),
                topics = m.Topics.Select((weights, t) => new
                {
                    topic = t + 1,
                    share = Math.Round(Share(corpus, m.DistinctMixtures, t), 4),
                    top = weights.Select((w, e) => (w, e)).OrderByDescending(p => p.w).Take(5)
                        .Select(p => string.Create(CultureInfo.InvariantCulture, $"{corpus.EventNames[p.e]}:{p.w:F2}")),
                }),
            }),
            clusterings = outcome.Clusterings.Select(c => new
            {
                c.Name,
                silhouette = Math.Round(c.Silhouette, 4),
                clusters = c.Clusters.Select((cluster, i) => new
                {
                    cluster.Name,
                    sequences = corpus.Distinct.Where((_, d) => c.DistinctLabels[d] == i).Sum(d => d.Weight),
                    distinct = c.DistinctLabels.Count(l => l == i),
                }),
            }),
        };

    /// <summary>The topic's share of all events: the mean of the sequences' mixtures weighted by length.</summary>
    private static double Share(SequenceCorpus corpus, float[][] mixtures, int topic)
    {
        double total = 0, weight = 0;
        for (var d = 0; d < corpus.Distinct.Count; d++)
        {
            var events = (double)corpus.Distinct[d].Weight * corpus.Distinct[d].Events.Length;
            total += events * mixtures[d][topic];
            weight += events;
        }
        return weight > 0 ? total / weight : 0;
    }

    private static int Int(string value, string name) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new FormatException($"--{name} must be a whole number (got '{value}').");
}
