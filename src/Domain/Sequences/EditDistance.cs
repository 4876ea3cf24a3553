namespace WebApp.Domain.Sequences;

/// <summary>Levenshtein distance between event sequences: the fewest single-event insertions, deletions and substitutions.</summary>
public static class EditDistance
{
    public static int Levenshtein(ReadOnlySpan<int> first, ReadOnlySpan<int> second)
    {
        if (first.Length < second.Length)
        {
            var swap = first;
            first = second;
            second = swap;
        }
        // One row of the dynamic programme over the shorter sequence.
        Span<int> row = second.Length < 256 ? stackalloc int[second.Length + 1] : new int[second.Length + 1];
        for (var j = 0; j <= second.Length; j++) row[j] = j;
        for (var i = 1; i <= first.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= second.Length; j++)
            {
                var above = row[j];
                var substitution = diagonal + (first[i - 1] == second[j - 1] ? 0 : 1);
                row[j] = Math.Min(substitution, Math.Min(above, row[j - 1]) + 1);
                diagonal = above;
            }
        }
        return row[second.Length];
    }

    /// <summary>All pairwise distances of <paramref name="sequences"/> (symmetric, zero diagonal), row-major.</summary>
    public static float[] Matrix(IReadOnlyList<int[]> sequences, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var n = sequences.Count;
        var matrix = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            ct.ThrowIfCancellationRequested();
            for (var j = i + 1; j < n; j++)
            {
                float d = Levenshtein(sequences[i], sequences[j]);
                matrix[i * n + j] = d;
                matrix[j * n + i] = d;
            }
        }
        return matrix;
    }
}
