using System.Text.Json;
using WebApp.Workers.RelationExtraction;

namespace WebApp.Workers.Tests.RelationExtraction;

[Collection(TorchRandomGroup.Name)]
public sealed class RelationCommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("re-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Train_writes_one_json_report_with_the_test_evaluation()
    {
        var corpus = TinyCorpus.Create();
        var lines = corpus.Train.Select(e => JsonSerializer.Serialize(new
        {
            token = e.Tokens,
            h = new { id = e.BagKey.Split('|')[0], pos = new[] { e.HeadStart, e.HeadEnd } },
            t = new { id = e.BagKey.Split('|')[1], pos = new[] { e.TailStart, e.TailEnd } },
            relation = corpus.Relations[e.Label],
        })).ToArray();
        foreach (var name in new[] { "train.txt", "val.txt", "test.txt" }) await File.WriteAllLinesAsync(Path.Combine(_dir, name), lines);
        await File.WriteAllTextAsync(Path.Combine(_dir, "rel2id.json"), """{"NA": 0, "born_in": 1, "works_for": 2}""");
        var report = Path.Combine(_dir, "report.json");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await RelationCommandLine.RunAsync(
            ["train", "--data", _dir, "--epochs", "2", "--aggregation", "avg", "--optimizer", "sgd", "--out", report, "--threads", "1"],
            1, output, error, CancellationToken.None);

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal(2, doc.RootElement.GetProperty("epochsRun").GetInt32());
        Assert.Equal("Avg", doc.RootElement.GetProperty("options").GetProperty("aggregation").GetString());
        Assert.Equal(6, doc.RootElement.GetProperty("test").GetProperty("facts").GetInt32());
        Assert.Contains("epoch 2/2", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("train --data x --aggregation max")]
    [InlineData("train --data x --bogus 1")]
    [InlineData("fit --data x")]
    public async Task Bad_arguments_print_the_problem_and_exit_with_2(string args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await RelationCommandLine.RunAsync(args.Split(' '), 1, output, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.NotEmpty(error.ToString());
    }
}
