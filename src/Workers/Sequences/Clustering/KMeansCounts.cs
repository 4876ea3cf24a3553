using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace WebApp.Workers.Sequences.Clustering;

/// <summary>One k-means fit: each distinct sequence's cluster (0…k−1) and the centroids (event counts by index).</summary>
public sealed record KMeansFit(int K, int[] DistinctLabels, float[][] Centroids);

/// <summary>
/// k-means on event counts with ML.NET. Its trainer takes an example-weight column but does not weight the centroids
/// by it (tested: one cluster over a point of weight 1 at 1 and one of weight 9 at 11 lands at 6, not 10), so it fits
/// on every sequence's count vector (a distinct vector repeated by its multiplicity, which costs little: k-means on
/// hdfs_train's 4,855 vectors of 14 counts takes tens of milliseconds per k) and labels the distinct vectors.
/// </summary>
public static class KMeansCounts
{
    private const string CountsColumn = "Counts";

    /// <summary>k-means++ initialisation, one thread and a seeded context: the same seed gives the same clusters.</summary>
    public static KMeansFit Fit(SequenceCorpus corpus, int k, int iterations, int seed)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var vocabulary = corpus.VocabularySize;
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(CountRow));
        schema[CountsColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, vocabulary);
        var distinct = corpus.Distinct.Select(d => new CountRow { Counts = d.Counts }).ToList();
        var all = corpus.Distinct.SelectMany((d, i) => Enumerable.Repeat(distinct[i], d.Weight)).ToList();
        var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = CountsColumn,
            NumberOfClusters = k,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
            MaximumNumberOfIterations = iterations,
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(ml.Data.LoadFromEnumerable(all, schema));
        VBuffer<float>[] centroids = [];
        model.Model.GetClusterCentroids(ref centroids, out var found);
        var labels = model.Transform(ml.Data.LoadFromEnumerable(distinct, schema)).GetColumn<uint>("PredictedLabel").Select(label => (int)label - 1).ToArray();
        return new KMeansFit(found, labels, [.. centroids.Take(found).Select(c => c.DenseValues().ToArray())]);
    }

    private sealed class CountRow
    {
        public float[] Counts { get; set; } = [];
    }
}
