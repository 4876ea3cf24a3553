using System.Text.Json;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Testing;
using WebApp.Workers.Sequences.Clustering;
using WebApp.Workers.Sequences.Novelty.Evaluation;
using WebApp.Workers.Tests.Sequences.Clustering;

namespace WebApp.Workers.Tests.Sequences.Novelty;

public sealed class SequenceEvaluationTests
{
    private static string CuratedFile => Path.Combine(RepositoryPaths.Root, "demo", "sequences", "hdfs", "curated-categories.json");

    [Fact]
    public void A_training_sequence_folded_in_gets_roughly_its_stored_mixture()
    {
        SequenceCorpus corpus;
        using (var reader = File.OpenText(SequenceTestData.TinyFile("hdfs_train"))) corpus = SequenceCorpus.ReadLines(reader);
        var fit = LdaTopicModel.Fit(corpus, 3, 200, 1, new LdaSettings());
        var differences = new List<double>();
        int clear = 0, clearKept = 0;
        for (var d = 0; d < corpus.Distinct.Count; d++)
        {
            var folded = NewSequenceAssigner.FoldIn(fit.Topics, corpus.Distinct[d].Events);
            var stored = fit.DistinctMixtures[d];
            differences.Add(folded.Select((w, t) => Math.Abs(w - stored[t])).Max());
            var ranked = stored.OrderDescending().ToArray();
            if (ranked[0] - ranked[1] < 0.2) continue;
            clear++;
            if (LdaTopicModel.ArgMax([.. folded.Select(w => (float)w)]) == LdaTopicModel.ArgMax(stored)) clearKept++;
        }
        // ML.NET infers by sampling, the fold-in by EM on the same topics: close, not equal (measured: the largest
        // weight difference per sequence is 0.14 on average); near-ties may swap, clear winners stay.
        Assert.True(differences.Average() < 0.2, $"mean largest difference {differences.Average():F3}");
        Assert.True(clear >= corpus.Distinct.Count / 3, $"only {clear} clear winners");
        Assert.True(clearKept >= 0.9 * clear, $"{clearKept} of {clear} clear winners keep their top topic");
    }

    [Fact]
    public void The_hdfs_curated_file_reads_into_categories_over_the_ensemble()
    {
        var file = CuratedClusteringFile.Read(CuratedFile);
        Assert.Equal((1, 0.3, 2, 8), (file.EnsembleSeed, file.Threshold, file.MinK, file.MaxK));
        var categories = file.ToCategories();
        Assert.Equal(4, categories.Count);
        // k2:1 is the first topic of the first model (k = 2); k4:3 the third topic of the third model (k = 4).
        Assert.Equal(new TopicReference(0, 0), categories[0].Topics.Single());
        Assert.Equal(new TopicReference(2, 2), categories[2].Topics.Single());
        Assert.Throws<FormatException>(() => file.Parse("k9:1"));
        Assert.Throws<FormatException>(() => file.Parse("k3:4"));
        Assert.Throws<FormatException>(() => file.Parse("3"));
    }

    [Fact]
    public async Task Seq_evaluate_on_the_tiny_fixture_prints_every_methods_figures()
    {
        var output = Path.GetTempFileName();
        try
        {
            var error = new StringWriter();
            var code = await SequenceEvaluationCommandLine.RunAsync(
                ["evaluate", "--train", SequenceTestData.TinyFile("hdfs_train"), "--test-normal", SequenceTestData.TinyFile("alt_normal_logrobust.txt"),
                 "--test-novel", SequenceTestData.TinyFile("hdfs_test_abnormal"), "--clustering", $"kmeans,kmedoids,lda,global,{CuratedFile}",
                 "--embedding", "8", "--hidden", "16", "--epochs", "2", "--max-k", "4", "--lda-max-k", "4", "--out", output],
                1, TextWriter.Null, error, CancellationToken.None);
            Assert.True(code == 0, error.ToString());
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var data = json.RootElement.GetProperty("data");
            Assert.Equal(300, data.GetProperty("trainSessions").GetInt32());
            Assert.Equal(30, data.GetProperty("validationSessions").GetInt32());
            Assert.Equal(100, data.GetProperty("testNovel").GetInt32());
            var methods = json.RootElement.GetProperty("methods").EnumerateArray().ToDictionary(m => m.GetProperty("method").GetString()!);
            Assert.Equal(["curated", "deeplog", "global", "kmeans", "kmedoids", "lda", "stide"], methods.Keys.Order().ToArray());
            foreach (var (name, method) in methods)
            {
                foreach (var view in new[] { "all", "deduplicated" })
                {
                    var figures = method.GetProperty(view);
                    Assert.InRange(figures.GetProperty("rocAuc").GetDouble(), 0, 1);
                    Assert.InRange(figures.GetProperty("prAuc").GetDouble(), 0, 1);
                    Assert.InRange(figures.GetProperty("f1").GetDouble(), 0, 1);
                }
                Assert.Equal(100, method.GetProperty("all").GetProperty("novel").GetInt32());
                Assert.Equal(data.GetProperty("testNovelDistinct").GetInt32(), method.GetProperty("deduplicated").GetProperty("novel").GetInt32());
                Assert.True(method.GetProperty("rocCurve").GetArrayLength() >= 2, name);
            }
            // Every test session lands in exactly one cluster of a clustered method, Others included.
            foreach (var name in new[] { "curated", "kmeans", "kmedoids", "lda" })
            {
                var clusters = methods[name].GetProperty("clusters").EnumerateArray().ToList();
                Assert.Equal(100, clusters.Sum(c => c.GetProperty("testNovel").GetInt32()));
                Assert.Equal(100, clusters.Sum(c => c.GetProperty("testNormal").GetInt32()));
                Assert.Contains(clusters, c => c.GetProperty("ownModel").GetBoolean());
            }
            Assert.Contains("global LSTM trained in", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task Seq_evaluate_refuses_missing_files_and_unknown_clusterings()
    {
        var error = new StringWriter();
        Assert.Equal(2, await SequenceEvaluationCommandLine.RunAsync(["evaluate", "--train", "/nonexistent"], 1, TextWriter.Null, error, CancellationToken.None));
        Assert.Contains("required", error.ToString(), StringComparison.Ordinal);
        error = new StringWriter();
        var tiny = SequenceTestData.TinyFile("hdfs_train");
        Assert.Equal(2, await SequenceEvaluationCommandLine.RunAsync(
            ["evaluate", "--train", tiny, "--test-normal", tiny, "--test-novel", tiny, "--clustering", "dbscan"], 1, TextWriter.Null, error, CancellationToken.None));
        Assert.Contains("'dbscan' is neither", error.ToString(), StringComparison.Ordinal);
    }
}
