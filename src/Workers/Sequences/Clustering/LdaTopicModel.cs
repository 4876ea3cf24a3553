using Microsoft.ML;
using Microsoft.ML.Data;

namespace WebApp.Workers.Sequences.Clustering;

/// <summary>
/// Settings of the LDA fits. ML.NET's LightLDA overrides the prior on documents: it trains with alphaSum = 100
/// whenever the given alphaSum is below 10, and infers mixtures with alphaSum = 1 whenever it is above 10 (see
/// LightDocSampler::AdaptAlphaSum in its native code). So no setting trains with a small prior; a small setting
/// (0.5, i.e. 0.5 / k per topic) still matters for inference, where it gives crisp mixtures for short sequences:
/// on hdfs_train (distinct fit) the mean largest mixture weight was 0.93 / 0.91 / 0.78 for k = 2 / 3 / 4 with 0.5,
/// against 0.92 / 0.81 / 0.49 with ML.NET's default 100 (inferred with 1) and 0.68 / 0.66 / 0.51 with 10; the
/// topics themselves barely changed (mean Hellinger distance between topics 0.50 / 0.49 / 0.49).
/// </summary>
/// <param name="FitOnDistinct">
/// LightLDA takes no document weights, so the choice is between fitting on the distinct sequences (each pattern
/// counts once) and on all sequences. Measured on hdfs_train (839 distinct of 4,855): the distinct fit took 0.6 s
/// per model against 2.9 s and its topics were far more distinct (mean Hellinger distance between topics 0.49
/// against 0.31 with all): with all sequences every topic is a variant of the one dominant session pattern, with
/// distinct ones the rarer behaviours (e.g. HDFS keys 3 and 4) get topics of their own, which is what a curator
/// builds categories from. Mixtures are inferred for every distinct sequence either way.
/// </param>
public sealed record LdaSettings(float AlphaSum = 0.5f, float Beta = 0.01f, bool FitOnDistinct = true, int SamplingSteps = 4,
    int BurninIterations = 10);

/// <summary>One fitted LDA model: topics as distributions over event types, and a mixture per distinct sequence.</summary>
public sealed record LdaFit(int TopicCount, float[][] Topics, float[][] DistinctMixtures, double Seconds);

/// <summary>LDA over bags of events with ML.NET (LightLDA, Metropolis–Hastings Gibbs sampling).</summary>
public static class LdaTopicModel
{
    private const string CountsColumn = "Counts";
    private const string TopicsColumn = "Topics";

    /// <summary>
    /// Fits k topics. One sampling thread, and the native sampler restarts its generator for each fit, so the result
    /// depends only on the input order: <paramref name="seed"/> shuffles the training documents.
    /// </summary>
    public static LdaFit Fit(SequenceCorpus corpus, int topicCount, int iterations, int seed, LdaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var vocabulary = corpus.VocabularySize;
        var documents = new List<CountRow>();
        foreach (var distinct in corpus.Distinct)
        {
            var copies = settings.FitOnDistinct ? 1 : distinct.Weight;
            for (var c = 0; c < copies; c++) documents.Add(new CountRow { Counts = distinct.Counts });
        }
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(documents));
        var longest = corpus.Distinct.Max(d => d.Events.Length);

        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(CountRow));
        schema[CountsColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, vocabulary);
        var estimator = ml.Transforms.Text.LatentDirichletAllocation(TopicsColumn, CountsColumn, topicCount,
            alphaSum: settings.AlphaSum, beta: settings.Beta, samplingStepCount: settings.SamplingSteps,
            // The log-likelihood is only printed by the native code (to standard output): once at the end is enough.
            maximumNumberOfIterations: iterations, likelihoodInterval: Math.Max(1, iterations), numberOfThreads: 1, maximumTokenCountPerDocument: Math.Max(512, longest),
            numberOfSummaryTermsPerTopic: vocabulary, numberOfBurninIterations: settings.BurninIterations, resetRandomGenerator: true);
        var model = estimator.Fit(ml.Data.LoadFromEnumerable(documents, schema));

        var details = model.GetLdaDetails(0);
        var topics = new float[topicCount][];
        for (var t = 0; t < topicCount; t++)
        {
            var weights = new float[vocabulary];
            foreach (var item in details.ItemScoresPerTopic[t]) weights[item.Item] = item.Score;
            topics[t] = Normalise(weights);
        }

        var distinctRows = corpus.Distinct.Select(d => new CountRow { Counts = d.Counts }).ToList();
        var mixtures = model.Transform(ml.Data.LoadFromEnumerable(distinctRows, schema))
            .GetColumn<VBuffer<float>>(TopicsColumn)
            .Select(v => Normalise(v.DenseValues().ToArray()))
            .ToArray();
        return new LdaFit(topicCount, topics, mixtures, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Scaled to sum to 1 (in double precision); all-zero becomes uniform.</summary>
    public static float[] Normalise(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double sum = 0;
        foreach (var v in values) sum += Math.Max(v, 0);
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = sum > 0 ? (float)(Math.Max(values[i], 0) / sum) : 1f / values.Length;
        return result;
    }

    public static int ArgMax(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private sealed class CountRow
    {
        public float[] Counts { get; set; } = [];
    }
}
