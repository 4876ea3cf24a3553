using System.Text.Json;
using WebApp.Domain.Sequences;
using WebApp.Workers.Sequences.Clustering;

namespace WebApp.Workers.Tests.Sequences.Clustering;

/// <summary>The fitting code without a database: k chosen by silhouette, planted structure found.</summary>
public sealed class InMemoryClusteringTests
{
    private static SequenceCorpus Corpus(int vocabulary, IEnumerable<int[]> sequences)
    {
        var list = sequences.ToList();
        return SequenceCorpus.Create([.. Enumerable.Range(0, vocabulary).Select(e => $"e{e}")],
            [.. Enumerable.Range(1, list.Count).Select(i => (long)i)], list);
    }

    private static Task<SequenceClusteringOutcome> RunAsync(SequenceCorpus corpus, string method, int minK, int maxK) =>
        SequenceClusterer.RunAsync(corpus, new SequenceClusteringParameters(0, method, minK, maxK, Seed: 3), new LdaSettings(),
            (_, _, _) => Task.CompletedTask, CancellationToken.None);

    [Fact]
    public async Task K_means_picks_two_clusters_on_two_obvious_groups()
    {
        // Group A draws its events from {0, 1}, group B from {2, 3}; lengths 10…14, so each group has many distinct
        // count vectors (with only a few, every k up to their number would score a perfect silhouette).
        var random = new Random(7);
        var sequences = new List<int[]>();
        for (var i = 0; i < 60; i++)
        {
            sequences.Add([.. Enumerable.Range(0, 10 + random.Next(5)).Select(_ => random.Next(2))]);
            sequences.Add([.. Enumerable.Range(0, 10 + random.Next(5)).Select(_ => 2 + random.Next(2))]);
        }
        var corpus = Corpus(4, sequences);

        var outcome = await RunAsync(corpus, ClusteringKinds.KMeans, 2, 6);

        Assert.Equal(2, outcome.ChosenK);
        var clustering = Assert.Single(outcome.Clusterings);
        Assert.Equal(2, clustering.Clusters.Count);
        Assert.True(clustering.Silhouette > 0.6, $"silhouette {clustering.Silhouette}");
        // Every sequence of a group lands in the same cluster, and the groups apart.
        var labelOf = corpus.Distinct.SelectMany((d, i) => d.Members.Select(m => (m, label: clustering.DistinctLabels[i])))
            .ToDictionary(p => p.m, p => p.label);
        Assert.Single(Enumerable.Range(0, sequences.Count).Where(i => i % 2 == 0).Select(i => labelOf[i]).Distinct());
        Assert.Single(Enumerable.Range(0, sequences.Count).Where(i => i % 2 == 1).Select(i => labelOf[i]).Distinct());
        Assert.NotEqual(labelOf[0], labelOf[1]);
        Assert.Equal(5, outcome.PerK.Count);
        using var parameters = JsonDocument.Parse(clustering.Parameters);
        Assert.Equal(5, parameters.RootElement.GetProperty("silhouetteByK").EnumerateObject().Count());
        // Centroids are event counts: group A's has only events 0 and 1.
        using var center = JsonDocument.Parse(clustering.Clusters[clustering.DistinctLabels[0]].Center);
        var centroid = center.RootElement.GetProperty("centroid").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(4, centroid.Length);
        Assert.True(centroid[0] > 3 && centroid[1] > 3 && centroid[2] < 0.01 && centroid[3] < 0.01, string.Join(" ", centroid));
    }

    [Fact]
    public async Task K_means_and_k_medoids_give_the_same_clusters_for_the_same_seed()
    {
        var corpus = SequenceCorpus.ReadLines(new StringReader(await File.ReadAllTextAsync(SequenceTestData.TinyFile("hdfs_train"))));
        foreach (var method in new[] { ClusteringKinds.KMeans, ClusteringKinds.KMedoids })
        {
            var first = await RunAsync(corpus, method, 2, 6);
            var second = await RunAsync(corpus, method, 2, 6);
            Assert.Equal(first.PerK.Select(q => q.Silhouette), second.PerK.Select(q => q.Silhouette));
            Assert.Equal(first.Clusterings[0].DistinctLabels, second.Clusterings[0].DistinctLabels);
            Assert.Equal(first.Clusterings[0].Clusters, second.Clusterings[0].Clusters);
        }
    }

    [Fact]
    public void K_means_weights_distinct_sequences_by_multiplicity()
    {
        // One event type: a sequence of 1 event once and a sequence of 11 events nine times. With one cluster the
        // weighted centroid is (1 + 9 · 11) / 10 = 10; unweighted it would be 6.
        var sequences = new List<int[]> { new int[1] };
        sequences.AddRange(Enumerable.Repeat(new int[11], 9));
        var corpus = Corpus(1, sequences);
        Assert.Equal(2, corpus.Distinct.Count);

        var fit = KMeansCounts.Fit(corpus, 1, 50, 1);

        Assert.Equal(10, fit.Centroids[0][0], 3);
    }

    [Fact]
    public async Task K_medoids_finds_the_planted_medoids()
    {
        // Three planted medoids; each has variants one substitution away (so two apart from each other): the medoid
        // is the only point within 1 of all of its group. Groups are far apart (different events throughout).
        int[][] medoids = [[0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1], [2, 3, 2, 3, 2, 3]];
        var sequences = new List<int[]>();
        var groupOf = new List<int>();
        foreach (var medoid in medoids)
        {
            sequences.Add(medoid);
            for (var position = 0; position < medoid.Length; position++)
            {
                var variant = (int[])medoid.Clone();
                variant[position] = 4;
                sequences.Add(variant);
                sequences.Add(variant); // multiplicities: every variant twice
            }
            groupOf.AddRange(Enumerable.Repeat(groupOf.Count == 0 ? 0 : groupOf[^1] + 1, sequences.Count - groupOf.Count));
        }
        var corpus = Corpus(5, sequences);

        var outcome = await RunAsync(corpus, ClusteringKinds.KMedoids, 2, 5);

        Assert.Equal(3, outcome.ChosenK);
        var clustering = Assert.Single(outcome.Clusterings);
        var found = clustering.Clusters.Select(c =>
        {
            using var center = JsonDocument.Parse(c.Center);
            return string.Join(' ', center.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetInt32()));
        }).Order().ToList();
        Assert.Equal(medoids.Select(m => string.Join(' ', m)).Order().ToList(), found);
        // Each group is one cluster, apart from the others.
        var labelOf = corpus.Distinct.SelectMany((d, i) => d.Members.Select(m => (m, label: clustering.DistinctLabels[i])))
            .ToDictionary(p => p.m, p => p.label);
        var labelsByGroup = Enumerable.Range(0, sequences.Count).GroupBy(i => groupOf[i], i => labelOf[i]).ToList();
        Assert.All(labelsByGroup, g => Assert.Single(g.Distinct()));
        Assert.Equal(3, labelsByGroup.Select(g => g.First()).Distinct().Count());
    }

    [Fact]
    public void K_medoids_computes_edit_distances_on_the_most_frequent_sequences_that_fit_the_budget()
    {
        // 60 distinct sequences of 1,100 events, the later ones more frequent: (57 · 1,100)² / 2 ≈ 1.97·10⁹ cells fit
        // the 2·10⁹ budget, 58 do not.
        var sequences = new List<int[]>();
        for (var i = 0; i < 60; i++)
        {
            var sequence = new int[1100];
            sequence[i] = 1;
            sequences.AddRange(Enumerable.Repeat(sequence, 1 + i));
        }
        var corpus = Corpus(2, sequences);

        var sample = SequenceClusterer.EditDistanceSample(corpus);

        Assert.Equal(Enumerable.Range(3, 57).Reverse(), sample);
        // Short sequences (HDFS-like) are all kept.
        var shortCorpus = Corpus(2, [.. Enumerable.Range(0, 300).Select(i => new[] { i % 2, i % 3, i % 5, i % 7 }.Select(e => e % 2).Append(i % 2).ToArray())]);
        Assert.Equal(shortCorpus.Distinct.Count, SequenceClusterer.EditDistanceSample(shortCorpus).Length);
    }

    [Fact]
    public void K_medoids_prefers_the_heavy_point_as_medoid()
    {
        // Points on a line at 0, 1, 2, 10, 11, 12; the point at 2 stands for 10 sequences, so it beats 1 as medoid.
        float[] positions = [0, 1, 2, 10, 11, 12];
        var n = positions.Length;
        var distances = new float[n * n];
        for (var a = 0; a < n; a++) for (var b = 0; b < n; b++) distances[a * n + b] = Math.Abs(positions[a] - positions[b]);

        var partition = KMedoids.Fit(distances, [1, 1, 10, 1, 1, 1], 2, 100, CancellationToken.None);

        Assert.Equal([2, 4], partition.Medoids.Order());
        Assert.Equal([0, 0, 0, 1, 1, 1], partition.Labels.Select(l => partition.Medoids[l] == 2 ? 0 : 1));
        // Cost: 2 + 1 + 0 (left) and 1 + 0 + 1 (right).
        Assert.Equal(5, partition.Cost, 6);
    }

    [Fact]
    public async Task Without_training_sequences_the_run_is_refused_with_a_reason()
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => RunAsync(Corpus(2, []), ClusteringKinds.Lda, 2, 3));
        Assert.Contains("no training sequences", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_names_list_the_events_that_set_the_cluster_apart()
    {
        // Event 0 is everywhere; the cluster has more of events 2 and 1 than the whole data.
        double[] overall = [0.5, 0.2, 0.2, 0.1];
        double[] cluster = [0.4, 0.25, 0.35, 0];
        Assert.Equal("k-means 1: c b …", ClusterNaming.Name("k-means", 1, cluster, overall, ["a", "b", "c", "d"]));
    }
}
