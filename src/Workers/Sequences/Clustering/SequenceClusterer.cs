using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;

namespace WebApp.Workers.Sequences.Clustering;

/// <summary>A fitted topic model: topics over the event types and the mixture of each distinct sequence.</summary>
public sealed record TopicModelOutcome(int TopicCount, float[][] Topics, float[][] DistinctMixtures, string Parameters, double Seconds);

/// <summary>One automatic cluster; <paramref name="TopicIndex"/> is the topic an argmax-LDA cluster stands for.</summary>
public sealed record ClusterOutcome(string Name, string Center, int? TopicIndex = null);

/// <summary>
/// An automatic clustering of the corpus: clusters and the cluster position of each distinct sequence (every member
/// sequence goes with it). <paramref name="TopicCount"/> names the topic model of an argmax-LDA clustering.
/// </summary>
public sealed record ClusteringOutcome(string Kind, string Name, int K, string Parameters, double Silhouette,
    IReadOnlyList<ClusterOutcome> Clusters, int[] DistinctLabels, int? TopicCount = null);

/// <summary>The quality figure of one k tried, and how long it took.</summary>
public sealed record KQuality(int K, double Silhouette, double Seconds);

public sealed record SequenceClusteringOutcome(string Method, IReadOnlyList<TopicModelOutcome> TopicModels,
    IReadOnlyList<ClusteringOutcome> Clusterings, IReadOnlyList<KQuality> PerK, int? ChosenK, int SequenceCount, int DistinctCount,
    int DistinctForDistances, double Seconds);

/// <summary>
/// The in-memory half of an automatic clustering, shared by the job and the command line: given the training
/// sequences and the parameters, fits every k and returns what is to be stored. No database here.
/// </summary>
public static class SequenceClusterer
{
    /// <summary>
    /// Silhouettes and the k-medoids distance matrix use at most this many distinct sequences, the most frequent ones
    /// (an n × n matrix of floats: 16 MB at 2,000). k-medoids assigns the other distinct sequences to their nearest
    /// medoid afterwards; k-means and LDA fit on all of them. hdfs_train has 839 distinct sequences, so there the cap
    /// does not bite.
    /// </summary>
    public const int MaxDistinctForDistances = 2000;

    /// <summary>
    /// k-medoids also caps the work of its edit-distance matrix: about (sum of lengths)² / 2 dynamic-programme cells,
    /// here at most 2·10⁹ (some seconds on one core). Short sessions like HDFS (839 distinct, 22 events on average:
    /// 1.7·10⁸ cells) stay whole; long traces of hundreds of events get fewer, most frequent, distinct sequences.
    /// </summary>
    public const long MaxEditDistanceCells = 2_000_000_000;

    /// <summary>k-medoids keeps at least this many distinct sequences (when there are as many), whatever their length.</summary>
    public const int MinDistinctForEditDistances = 50;

    /// <param name="progress">Called after each k with the number of k done and a line for the run's message.</param>
    public static async Task<SequenceClusteringOutcome> RunAsync(SequenceCorpus corpus, SequenceClusteringParameters parameters,
        LdaSettings ldaSettings, Func<int, string, CancellationToken, Task> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(progress);
        var errors = parameters.Validate().ToList();
        if (errors.Count > 0) throw new InvalidDataException(string.Join(" ", errors));
        if (corpus.Sequences.Count == 0)
            throw new InvalidDataException("The dataset has no training sequences: import sequences into its train part first.");
        if (parameters.Method != ClusteringKinds.Lda && corpus.Distinct.Count < parameters.MinK)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{parameters.Method} with k from {parameters.MinK} needs at least {parameters.MinK} distinct training sequences; the dataset has {corpus.Distinct.Count}."));
        }
        var clock = Stopwatch.StartNew();
        var result = parameters.Method switch
        {
            ClusteringKinds.Lda => await LdaAsync(corpus, parameters, ldaSettings, DistanceSample(corpus), progress, ct),
            ClusteringKinds.KMeans => await KMeansAsync(corpus, parameters, DistanceSample(corpus), progress, ct),
            _ => await KMedoidsAsync(corpus, parameters, progress, ct),
        };
        return result with { Seconds = clock.Elapsed.TotalSeconds };
    }

    /// <summary>The distinct sequences that distances are computed on: the most frequent, up to the cap.</summary>
    private static int[] DistanceSample(SequenceCorpus corpus) =>
        [.. Enumerable.Range(0, corpus.Distinct.Count).OrderByDescending(i => corpus.Distinct[i].Weight).ThenBy(i => i).Take(MaxDistinctForDistances)];

    /// <summary>The distinct sequences k-medoids computes edit distances on: the most frequent that fit the cell budget.</summary>
    public static int[] EditDistanceSample(SequenceCorpus corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var sample = DistanceSample(corpus);
        double length = 0;
        var count = 0;
        while (count < sample.Length)
        {
            var next = length + corpus.Distinct[sample[count]].Events.Length;
            if (count >= MinDistinctForEditDistances && next * next / 2 > MaxEditDistanceCells) break;
            length = next;
            count++;
        }
        return sample[..count];
    }

    private static async Task<SequenceClusteringOutcome> LdaAsync(SequenceCorpus corpus, SequenceClusteringParameters parameters,
        LdaSettings settings, int[] sample, Func<int, string, CancellationToken, Task> progress, CancellationToken ct)
    {
        var countDistances = CountDistances(corpus, sample);
        var overall = OverallDistribution(corpus);
        var models = new List<TopicModelOutcome>();
        var clusterings = new List<ClusteringOutcome>();
        var perK = new List<KQuality>();
        for (var k = parameters.MinK; k <= parameters.MaxK; k++)
        {
            ct.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var fit = LdaTopicModel.Fit(corpus, k, parameters.Iterations, parameters.Seed, settings);
            var modelParameters = JsonSerializer.Serialize(new
            {
                method = "ML.NET LightLDA",
                topics = k,
                settings.AlphaSum,
                trainingAlphaSum = settings.AlphaSum < 10 ? 100 : settings.AlphaSum,
                settings.Beta,
                parameters.Iterations,
                settings.SamplingSteps,
                settings.BurninIterations,
                parameters.Seed,
                fitOn = settings.FitOnDistinct ? "distinct sequences" : "all sequences",
                documents = settings.FitOnDistinct ? corpus.Distinct.Count : corpus.Sequences.Count,
                note = "ML.NET trains with alphaSum 100 whenever the given alphaSum is below 10, and infers mixtures with the given one.",
            }, JobJson.Options);
            models.Add(new TopicModelOutcome(k, fit.Topics, fit.DistinctMixtures, modelParameters, fit.Seconds));

            var labels = fit.DistinctMixtures.Select(LdaTopicModel.ArgMax).ToArray();
            var silhouette = Silhouette(sample, labels, countDistances, corpus);
            var clusters = Enumerable.Range(0, k).Select(t => new ClusterOutcome(
                ClusterNaming.Name("Topic", t + 1, [.. fit.Topics[t].Select(w => (double)w)], overall, corpus.EventNames),
                JsonSerializer.Serialize(new { topicIndex = t }, JobJson.Options), t)).ToList();
            var clusteringParameters = JsonSerializer.Serialize(new
            {
                method = ClusteringKinds.Lda,
                k,
                rule = "each sequence to its most probable topic",
                silhouetteOn = "event counts, Euclidean, distinct sequences weighted by multiplicity",
                distinctForSilhouette = sample.Length,
            }, JobJson.Options);
            clusterings.Add(new ClusteringOutcome(ClusteringKinds.Lda,
                string.Create(CultureInfo.InvariantCulture, $"LDA k={k} (argmax topic)"), k, clusteringParameters, silhouette, clusters, labels, k));
            perK.Add(new KQuality(k, silhouette, clock.Elapsed.TotalSeconds));
            await progress(k - parameters.MinK + 1,
                string.Create(CultureInfo.InvariantCulture, $"LDA k={k}: fitted in {fit.Seconds:F1} s, argmax silhouette {silhouette:F3}"), ct);
        }
        return new SequenceClusteringOutcome(ClusteringKinds.Lda, models, clusterings, perK, null, corpus.Sequences.Count,
            corpus.Distinct.Count, sample.Length, 0);
    }

    private static async Task<SequenceClusteringOutcome> KMeansAsync(SequenceCorpus corpus, SequenceClusteringParameters parameters,
        int[] sample, Func<int, string, CancellationToken, Task> progress, CancellationToken ct)
    {
        var countDistances = CountDistances(corpus, sample);
        var maxK = Math.Min(parameters.MaxK, corpus.Distinct.Count);
        var perK = new List<KQuality>();
        KMeansFit? best = null;
        var bestSilhouette = double.NegativeInfinity;
        for (var k = parameters.MinK; k <= parameters.MaxK; k++)
        {
            ct.ThrowIfCancellationRequested();
            if (k <= maxK)
            {
                var clock = Stopwatch.StartNew();
                var fit = KMeansCounts.Fit(corpus, k, parameters.Iterations, parameters.Seed);
                var silhouette = Silhouette(sample, fit.DistinctLabels, countDistances, corpus);
                perK.Add(new KQuality(k, silhouette, clock.Elapsed.TotalSeconds));
                // Ties go to the smaller k.
                if (silhouette > bestSilhouette)
                {
                    bestSilhouette = silhouette;
                    best = fit;
                }
            }
            await progress(k - parameters.MinK + 1, k <= maxK
                ? string.Create(CultureInfo.InvariantCulture, $"k-means k={k}: silhouette {perK[^1].Silhouette:F3}")
                : string.Create(CultureInfo.InvariantCulture, $"k-means k={k}: skipped, only {corpus.Distinct.Count} distinct sequences"), ct);
        }
        var chosen = best!;
        var (labels, order) = BySize(chosen.DistinctLabels, corpus);
        var overall = OverallDistribution(corpus);
        var clusters = order.Select((original, position) => new ClusterOutcome(
            ClusterNaming.Name("k-means", position + 1, MemberDistribution(corpus, labels, position), overall, corpus.EventNames),
            JsonSerializer.Serialize(new { centroid = chosen.Centroids[original] }, JobJson.Options))).ToList();
        var clusteringParameters = JsonSerializer.Serialize(new
        {
            method = ClusteringKinds.KMeans,
            k = chosen.K,
            parameters.MinK,
            parameters.MaxK,
            parameters.Seed,
            parameters.Iterations,
            initialisation = "k-means++ (ML.NET)",
            fitOn = "event counts of all training sequences (ML.NET's k-means does not weight centroids)",
            silhouetteOn = "event counts, Euclidean, distinct sequences weighted by multiplicity",
            distinctForSilhouette = sample.Length,
            silhouetteByK = perK.ToDictionary(q => q.K.ToString(CultureInfo.InvariantCulture), q => Math.Round(q.Silhouette, 4)),
        }, JobJson.Options);
        var clustering = new ClusteringOutcome(ClusteringKinds.KMeans,
            string.Create(CultureInfo.InvariantCulture, $"k-means k={chosen.K} (by silhouette)"), chosen.K, clusteringParameters, bestSilhouette,
            clusters, labels);
        return new SequenceClusteringOutcome(ClusteringKinds.KMeans, [], [clustering], perK, chosen.K, corpus.Sequences.Count,
            corpus.Distinct.Count, sample.Length, 0);
    }

    private static async Task<SequenceClusteringOutcome> KMedoidsAsync(SequenceCorpus corpus, SequenceClusteringParameters parameters,
        Func<int, string, CancellationToken, Task> progress, CancellationToken ct)
    {
        var sample = EditDistanceSample(corpus);
        var sequences = sample.Select(i => corpus.Distinct[i].Events).ToList();
        var distances = EditDistance.Matrix(sequences, ct);
        var weights = sample.Select(i => corpus.Distinct[i].Weight).ToArray();
        var n = sample.Length;
        var maxK = Math.Min(parameters.MaxK, n);
        var perK = new List<KQuality>();
        MedoidPartition? best = null;
        var bestSilhouette = double.NegativeInfinity;
        for (var k = parameters.MinK; k <= parameters.MaxK; k++)
        {
            ct.ThrowIfCancellationRequested();
            if (k <= maxK)
            {
                var clock = Stopwatch.StartNew();
                var partition = KMedoids.Fit(distances, weights, k, parameters.Iterations, ct);
                var silhouette = ClusterQuality.Silhouette(n, (a, b) => distances[a * n + b], weights, partition.Labels).Overall;
                perK.Add(new KQuality(k, silhouette, clock.Elapsed.TotalSeconds));
                if (silhouette > bestSilhouette)
                {
                    bestSilhouette = silhouette;
                    best = partition;
                }
            }
            await progress(k - parameters.MinK + 1, k <= maxK
                ? string.Create(CultureInfo.InvariantCulture, $"k-medoids k={k}: silhouette {perK[^1].Silhouette:F3}")
                : string.Create(CultureInfo.InvariantCulture, $"k-medoids k={k}: skipped, only {n} distinct sequences"), ct);
        }
        var chosen = best!;
        // Distinct sequences beyond the sample go to their nearest medoid.
        var distinctLabels = new int[corpus.Distinct.Count];
        var position = new Dictionary<int, int>(n);
        for (var p = 0; p < n; p++) position[sample[p]] = p;
        for (var d = 0; d < corpus.Distinct.Count; d++)
        {
            if (position.TryGetValue(d, out var p))
            {
                distinctLabels[d] = chosen.Labels[p];
                continue;
            }
            var nearest = 0;
            var nearestDistance = int.MaxValue;
            for (var m = 0; m < chosen.Medoids.Length; m++)
            {
                var distance = EditDistance.Levenshtein(corpus.Distinct[d].Events, sequences[chosen.Medoids[m]]);
                if (distance < nearestDistance)
                {
                    nearestDistance = distance;
                    nearest = m;
                }
            }
            distinctLabels[d] = nearest;
        }
        var (labels, order) = BySize(distinctLabels, corpus);
        var overall = OverallDistribution(corpus);
        var clusters = order.Select((original, place) =>
        {
            var medoid = sample[chosen.Medoids[original]];
            return new ClusterOutcome(
                ClusterNaming.Name("k-medoids", place + 1, MemberDistribution(corpus, labels, place), overall, corpus.EventNames),
                JsonSerializer.Serialize(new
                {
                    medoidSequenceId = corpus.RepresentativeId(medoid),
                    events = corpus.Distinct[medoid].Events,
                    eventNames = corpus.Distinct[medoid].Events.Select(e => corpus.EventNames[e]),
                    multiplicity = corpus.Distinct[medoid].Weight,
                }, JobJson.Options));
        }).ToList();
        var clusteringParameters = JsonSerializer.Serialize(new
        {
            method = ClusteringKinds.KMedoids,
            k = chosen.Medoids.Length,
            parameters.MinK,
            parameters.MaxK,
            maxSwapPasses = parameters.Iterations,
            algorithm = "PAM (BUILD + SWAP), weighted by multiplicity",
            distance = "Levenshtein (unit-cost insert, delete, substitute) on the event sequences",
            distinctSequences = corpus.Distinct.Count,
            distinctInDistanceMatrix = n,
            assignedToNearestMedoid = corpus.Distinct.Count - n,
            silhouetteOn = "edit distance, distinct sequences of the matrix weighted by multiplicity",
            cost = chosen.Cost,
            chosen.Swaps,
            silhouetteByK = perK.ToDictionary(q => q.K.ToString(CultureInfo.InvariantCulture), q => Math.Round(q.Silhouette, 4)),
        }, JobJson.Options);
        var clustering = new ClusteringOutcome(ClusteringKinds.KMedoids,
            string.Create(CultureInfo.InvariantCulture, $"k-medoids k={chosen.Medoids.Length} on edit distance (by silhouette)"),
            chosen.Medoids.Length, clusteringParameters, bestSilhouette, clusters, labels);
        return new SequenceClusteringOutcome(ClusteringKinds.KMedoids, [], [clustering], perK, chosen.Medoids.Length,
            corpus.Sequences.Count, corpus.Distinct.Count, n, 0);
    }

    /// <summary>Euclidean distances between the event counts of the sampled distinct sequences, row-major.</summary>
    private static float[] CountDistances(SequenceCorpus corpus, int[] sample)
    {
        var n = sample.Length;
        var matrix = new float[n * n];
        for (var a = 0; a < n; a++)
        {
            for (var b = a + 1; b < n; b++)
            {
                var d = (float)ClusterQuality.Euclidean(corpus.Distinct[sample[a]].Counts, corpus.Distinct[sample[b]].Counts);
                matrix[a * n + b] = d;
                matrix[b * n + a] = d;
            }
        }
        return matrix;
    }

    /// <summary>Weighted silhouette of the sampled distinct sequences under the distinct labels.</summary>
    private static double Silhouette(int[] sample, int[] distinctLabels, float[] distances, SequenceCorpus corpus)
    {
        var n = sample.Length;
        return ClusterQuality.Silhouette(n, (a, b) => distances[a * n + b], [.. sample.Select(i => corpus.Distinct[i].Weight)],
            [.. sample.Select(i => distinctLabels[i])]).Overall;
    }

    /// <summary>Relabels clusters 0, 1, … by descending number of sequences, dropping empty ones; order[new] = old label.</summary>
    private static (int[] Labels, int[] Order) BySize(int[] distinctLabels, SequenceCorpus corpus)
    {
        var sizes = new Dictionary<int, int>();
        for (var d = 0; d < distinctLabels.Length; d++) sizes[distinctLabels[d]] = sizes.GetValueOrDefault(distinctLabels[d]) + corpus.Distinct[d].Weight;
        var order = sizes.OrderByDescending(s => s.Value).ThenBy(s => s.Key).Select(s => s.Key).ToArray();
        var renumber = order.Select((old, position) => (old, position)).ToDictionary(p => p.old, p => p.position);
        return ([.. distinctLabels.Select(l => renumber[l])], order);
    }

    private static double[] OverallDistribution(SequenceCorpus corpus) =>
        ClusterNaming.Distribution(corpus.Distinct.Select(d => (d.Counts, d.Weight)), corpus.VocabularySize);

    private static double[] MemberDistribution(SequenceCorpus corpus, int[] labels, int cluster) =>
        ClusterNaming.Distribution(corpus.Distinct.Where((_, d) => labels[d] == cluster).Select(d => (d.Counts, d.Weight)), corpus.VocabularySize);
}
