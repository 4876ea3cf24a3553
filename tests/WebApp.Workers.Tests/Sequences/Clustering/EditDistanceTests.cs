using WebApp.Domain.Sequences;
using WebApp.Workers.Sequences.Clustering;

namespace WebApp.Workers.Tests.Sequences.Clustering;

public sealed class EditDistanceTests
{
    private static int[] Events(string text) => [.. text.Select(c => (int)c)];

    [Theory]
    // Worked by hand: kitten → sitten (substitute) → sittin (substitute) → sitting (insert).
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("abc", "abc", 0)]
    // Two neighbours swapped: two substitutions (no transposition in Levenshtein).
    [InlineData("abcd", "bacd", 2)]
    // flaw → law (delete f) → lawn (insert n).
    [InlineData("flaw", "lawn", 2)]
    [InlineData("intention", "execution", 5)]
    public void Levenshtein_matches_hand_computed_values(string first, string second, int expected)
    {
        Assert.Equal(expected, EditDistance.Levenshtein(Events(first), Events(second)));
        Assert.Equal(expected, EditDistance.Levenshtein(Events(second), Events(first)));
    }

    [Fact]
    public void HDFS_sessions_differ_by_the_events_dropped_and_added()
    {
        // 5 5 5 22 11 9 → 5 22 11 9 26: delete two 5s, insert 26.
        Assert.Equal(3, EditDistance.Levenshtein([5, 5, 5, 22, 11, 9], [5, 22, 11, 9, 26]));
    }

    [Fact]
    public void The_matrix_is_symmetric_with_a_zero_diagonal()
    {
        // 1 3 → 3 2 1 needs 3: one insertion, and every 2 of the 3 targets still leaves 2 mismatches.
        int[][] sequences = [[1, 2, 3], [1, 3], [3, 2, 1], []];
        var matrix = EditDistance.Matrix(sequences, CancellationToken.None);
        float[] expected =
        [
            0, 1, 2, 3,
            1, 0, 3, 2,
            2, 3, 0, 3,
            3, 2, 3, 0,
        ];
        Assert.Equal(expected, matrix);
    }
}
