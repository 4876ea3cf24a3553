using WebApp.Domain.Sequences;

namespace WebApp.Workers.Sequences.Import;

/// <summary>
/// Where the sequence formats (lines, CSV, JSON lines) put what they parse: the importer's <see cref="SequenceWriter"/>
/// stores it in a dataset; novelty scoring keeps it in memory against a dataset's existing vocabulary.
/// </summary>
public interface ISequenceSink
{
    string FileName { get; }
    SequenceImportCounts Counts { get; }

    /// <summary>The event index of <paramref name="token"/> (<paramref name="line"/> names it in errors).</summary>
    int EventIndex(ReadOnlySpan<char> token, long line);

    /// <summary>Takes one sequence; <paramref name="line"/> is where it starts (for errors).</summary>
    ValueTask AddAsync(string sourceId, long line, int[] events, DateTime[]? timestamps, KnownLabel? label, CancellationToken ct);
}
