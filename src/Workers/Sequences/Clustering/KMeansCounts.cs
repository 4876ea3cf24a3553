using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace WebApp.Workers.Sequences.Clustering;

/// <summary>One k-means fit: each distinct sequence's cluster (0…k−1) and the centroids (event counts by index).</summary>
public sealed record KMeansFit(int K, int[] DistinctLabels, float[][] Centroids);

/// <summary>k-means on event counts with ML.NET, on the distinct count vectors weighted by multiplicity.</summary>
public static class KMeansCounts
{
    private const string CountsColumn = "Counts";
    private const string WeightColumn = "Weight";

    /// <summary>k-means++ initialisation, one thread and a seeded context: the same seed gives the same clusters.</summary>
    public static KMeansFit Fit(SequenceCorpus corpus, int k, int iterations, int seed)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var vocabulary = corpus.VocabularySize;
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(WeightedRow));
        schema[CountsColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, vocabulary);
        var rows = corpus.Distinct.Select(d => new WeightedRow { Counts = d.Counts, Weight = d.Weight }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = CountsColumn,
            ExampleWeightColumnName = WeightColumn,
            NumberOfClusters = k,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
            MaximumNumberOfIterations = iterations,
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(data);
        VBuffer<float>[] centroids = [];
        model.Model.GetClusterCentroids(ref centroids, out var found);
        var labels = model.Transform(data).GetColumn<uint>("PredictedLabel").Select(label => (int)label - 1).ToArray();
        return new KMeansFit(found, labels, [.. centroids.Take(found).Select(c => c.DenseValues().ToArray())]);
    }

    private sealed class WeightedRow
    {
        public float[] Counts { get; set; } = [];
        public float Weight { get; set; }
    }
}
