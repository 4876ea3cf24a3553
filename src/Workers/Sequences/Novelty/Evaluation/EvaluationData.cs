using WebApp.Workers.Sequences.Clustering;

namespace WebApp.Workers.Sequences.Novelty.Evaluation;

/// <summary>
/// The sequences of one evaluation: normal training sessions and the two test sets, as event indexes over the
/// training file's event types (numbered by first appearance); a test event never seen in training is −1.
/// </summary>
public sealed record EvaluationData(IReadOnlyList<string> EventNames, IReadOnlyList<int[]> Train, IReadOnlyList<int[]> TestNormal,
    IReadOnlyList<int[]> TestNovel)
{
    /// <summary>Reads three files of one sequence per line (space-separated event tokens); empty lines are skipped.</summary>
    public static EvaluationData Read(string trainPath, string testNormalPath, string testNovelPath)
    {
        SequenceCorpus corpus;
        using (var reader = File.OpenText(trainPath)) corpus = SequenceCorpus.ReadLines(reader);
        var index = corpus.EventNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        return new EvaluationData(corpus.EventNames, corpus.Sequences, ReadTest(testNormalPath, index), ReadTest(testNovelPath, index));
    }

    private static List<int[]> ReadTest(string path, Dictionary<string, int> index)
    {
        var sequences = new List<int[]>();
        foreach (var line in File.ReadLines(path))
        {
            var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (tokens.Length > 0) sequences.Add([.. tokens.Select(t => index.TryGetValue(t, out var e) ? e : -1)]);
        }
        return sequences;
    }
}
