using WebApp.Workers.RelationExtraction.ActiveLearning;

namespace WebApp.Workers.Tests.RelationExtraction.ActiveLearning;

public sealed class LearningCurveCommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("al-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Line(string id, string relation) =>
        $$"""{"id":"{{id}}","token":["ann","was","born","in","oslo"],"h":{"name":"ann","id":"A","pos":[0,1]},"t":{"name":"oslo","id":"O","pos":[4,5]},"relation":"{{relation}}"}""";

    [Fact]
    public void Train_gold_is_joined_by_id_and_test_gold_falls_back_to_the_test_labels()
    {
        var data = Path.Combine(_dir, "opennre");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "rel2id.json"), """{"NA": 0, "born_in": 1}""");
        File.WriteAllLines(Path.Combine(data, "train.txt"), [Line("a", "born_in"), "", Line("b", "NA"), Line("c", "NA")]);
        File.WriteAllLines(Path.Combine(data, "test.txt"), [Line("t1", "born_in"), Line("t2", "NA")]);
        // the default gold file: ../sentences.jsonl; "c" has no gold, "t2" is overruled by gold
        File.WriteAllLines(Path.Combine(_dir, "sentences.jsonl"), [Line("b", "born_in"), Line("a", "NA"), Line("t2", "born_in")]);

        var loaded = LearningCurveCommandLine.Load(data, null);

        Assert.Equal(3, loaded.Train.Count);
        Assert.Equal(new Dictionary<long, int> { [0] = 0, [1] = 1 }, loaded.TrainGold);
        Assert.Equal(new Dictionary<long, int> { [0] = 1, [1] = 1 }, loaded.TestGold);
        Assert.Equal([1, 0], loaded.Test.Select(e => e.Label)); // the held-out facts stay test.txt's
    }

    [Fact]
    public async Task Bad_options_print_the_usage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await LearningCurveCommandLine.RunAsync(["--data", _dir, "--strategies", "bald"], 1, output, error, CancellationToken.None));
        Assert.Contains("Unknown strategy 'bald'", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await LearningCurveCommandLine.RunAsync(["--seeds", "3"], 1, output, error, CancellationToken.None));
        Assert.Contains("--data DIR is required", error.ToString(), StringComparison.Ordinal);
    }
}
