using System.Text.Json;
using WebApp.Domain.Sequences;
using WebApp.Testing;
using WebApp.Workers.Sequences.Clustering;

namespace WebApp.Workers.Tests.Sequences.Clustering;

public sealed class SequenceClusteringCommandLineTests
{
    [Fact]
    public async Task A_lines_file_and_the_same_stored_dataset_give_the_same_clustering()
    {
        var file = SequenceTestData.TinyFile("hdfs_train");
        var fromFile = Path.GetTempFileName();
        var fromDatabase = Path.GetTempFileName();
        try
        {
            var error = new StringWriter();
            Assert.Equal(0, await SequenceClusteringCommandLine.RunAsync(
                ["cluster", "--file", file, "--method", "kmeans", "--max-k", "5", "--out", fromFile], null, TextWriter.Null, error, CancellationToken.None));
            Assert.Contains("k-means k=5: silhouette", error.ToString(), StringComparison.Ordinal);

            await using var database = await TestDatabase.CreateAsync();
            int datasetId;
            await using (var db = database.CreateContext())
            {
                datasetId = await SequenceTestData.CreateDatasetAsync(db, "tiny");
                await SequenceTestData.AddLinesAsync(db, datasetId, await File.ReadAllLinesAsync(file), SequenceParts.Train);
            }
            Assert.Equal(0, await SequenceClusteringCommandLine.RunAsync(
                ["cluster", "--dataset", datasetId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--method", "kmeans", "--max-k", "5", "--out", fromDatabase],
                database.ConnectionString, TextWriter.Null, TextWriter.Null, CancellationToken.None));

            using var a = JsonDocument.Parse(await File.ReadAllTextAsync(fromFile));
            using var b = JsonDocument.Parse(await File.ReadAllTextAsync(fromDatabase));
            Assert.Equal(300, a.RootElement.GetProperty("sequences").GetInt32());
            Assert.Equal(4, a.RootElement.GetProperty("perK").GetArrayLength());
            static double[] Silhouettes(JsonDocument d) => [.. d.RootElement.GetProperty("perK").EnumerateArray().Select(q => q.GetProperty("silhouette").GetDouble())];
            Assert.Equal(Silhouettes(a), Silhouettes(b));
            Assert.Equal(a.RootElement.GetProperty("clusterings").ToString(), b.RootElement.GetProperty("clusterings").ToString());
        }
        finally
        {
            File.Delete(fromFile);
            File.Delete(fromDatabase);
        }
    }

    [Theory]
    [InlineData("cluster", "--method", "kmeans")]
    [InlineData("cluster", "--file", "x", "--dataset", "1")]
    [InlineData("cluster", "--file", "x", "--method", "dbscan")]
    [InlineData("cluster", "--dataset", "1")]
    [InlineData("cluster", "--file", "x", "--min-k", "two")]
    [InlineData("import")]
    public async Task Bad_arguments_exit_with_2_and_say_why(params string[] args)
    {
        var error = new StringWriter();
        Assert.Equal(2, await SequenceClusteringCommandLine.RunAsync(args, null, TextWriter.Null, error, CancellationToken.None));
        Assert.NotEmpty(error.ToString());
    }
}
