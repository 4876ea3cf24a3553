using WebApp.Workers.RelationExtraction;

namespace WebApp.Workers.Tests.RelationExtraction;

public sealed class OpenNreFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("opennre-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string name, params string[] lines) => File.WriteAllLines(Path.Combine(_dir, name), lines);

    [Fact]
    public void Loads_token_and_text_lines_and_puts_NA_first()
    {
        Write("rel2id.json", """{"P1": 0, "no_relation": 1, "P2": 2}""");
        Write("train.txt",
            """{"token": ["Ann", "was", "born", "in", "Oslo", "."], "h": {"name": "ann", "id": "Q1", "pos": [0, 1]}, "t": {"name": "oslo", "id": "Q2", "pos": [4, 5]}, "relation": "P2", "weight": 2.5}""",
            "",
            """{"text": "In New York, Bob met Ann.", "h": {"name": "bob", "id": "Q3", "pos": [13, 16]}, "t": {"name": "new york", "id": "Q4", "pos": [3, 11]}, "relation": "no_relation"}""");
        Write("val.txt",
            """{"token": ["Oslo", "hosts", "Ann"], "h": {"name": "ann", "id": "Q1", "pos": [2, 3]}, "t": {"name": "oslo", "id": "Q2", "pos": [0, 1]}, "relation": "P1"}""");

        var corpus = OpenNreFormat.Load(_dir);

        Assert.Equal(["NA", "P1", "P2"], corpus.Relations);
        Assert.Equal(2, corpus.Train.Count);
        var first = corpus.Train[0];
        Assert.Equal((0, 1, 4, 5, 2, "Q1|Q2"), (first.HeadStart, first.HeadEnd, first.TailStart, first.TailEnd, first.Label, first.BagKey));
        Assert.Equal(2.5f, first.Weight);
        // "In New York , Bob met Ann ." — New York = tokens 1..2, Bob = token 4
        var text = corpus.Train[1];
        Assert.Equal(["In", "New", "York", ",", "Bob", "met", "Ann", "."], text.Tokens);
        Assert.Equal((4, 5, 1, 3, 0), (text.HeadStart, text.HeadEnd, text.TailStart, text.TailEnd, text.Label));
        Assert.Equal(1f, text.Weight); // no "weight": 1
        Assert.Single(corpus.Dev);
        Assert.Equal(1, corpus.Dev[0].Label);
        Assert.Empty(corpus.Test);
        Assert.Empty(corpus.Validate());
    }

    [Fact]
    public void A_bad_line_is_reported_with_its_file_and_line_number()
    {
        Write("rel2id.json", """{"NA": 0, "P1": 1}""");
        Write("train.txt",
            """{"token": ["a", "b"], "h": {"id": "Q1", "pos": [0, 1]}, "t": {"id": "Q2", "pos": [1, 2]}, "relation": "P1"}""");
        Write("val.txt",
            """{"token": ["a", "b"], "h": {"id": "Q1", "pos": [0, 1]}, "t": {"id": "Q2", "pos": [1, 2]}, "relation": "P1"}""",
            """{"token": ["a", "b"], "t": {"id": "Q2", "pos": [1, 2]}, "relation": "P1"}""");

        var error = Assert.Throws<FormatException>(() => OpenNreFormat.Load(_dir));

        Assert.Contains("val.txt:2", error.Message);
        Assert.Contains("\"h\"", error.Message);
    }

    [Theory]
    [InlineData("""{"token": ["a", "b"], "h": {"id": "Q1", "pos": [0, 1]}, "t": {"id": "Q2", "pos": [1, 2]}, "relation": "P9"}""", "P9")]
    [InlineData("""{"token": ["a", "b"], "h": {"id": "Q1", "pos": [0, 3]}, "t": {"id": "Q2", "pos": [1, 2]}, "relation": "P1"}""", "head span")]
    [InlineData("""{"token": ["a", "b"], "h": {"id": "Q1", """, "train.txt:1")]
    [InlineData("""{"token": ["a", "b"], "h": {"id": "Q1", "pos": [0, 1]}, "t": {"id": "Q2", "pos": [1, 2]}, "relation": "P1", "weight": -1}""", "\"weight\" must be")]
    [InlineData("""{"token": ["a", "b"], "h": {"id": "Q1", "pos": [0, 1]}, "t": {"id": "Q2", "pos": [1, 2]}, "relation": "P1", "weight": "2"}""", "\"weight\" must be")]
    public void Unknown_relations_bad_spans_and_broken_json_are_rejected(string line, string expected)
    {
        Write("rel2id.json", """{"NA": 0, "P1": 1}""");
        Write("train.txt", line);

        var error = Assert.Throws<FormatException>(() => OpenNreFormat.Load(_dir));

        Assert.Contains(expected, error.Message);
        Assert.Contains("train.txt:1", error.Message);
    }
}
