using System.Globalization;
using WebApp.Domain.Sequences;
using WebApp.Workers.Import;
using WebApp.Workers.Sequences.Import;

namespace WebApp.Workers.Sequences.Novelty.Jobs;

/// <summary>
/// Reads a file of sequences to score with the importer's formats, against the dataset's vocabulary as it stands: an
/// event the dataset has never seen becomes −1 (always surprising to the models) and is counted, never added.
/// </summary>
public sealed class ScoringFileReader : ISequenceSink
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabulary;

    private ScoringFileReader(string fileName, Dictionary<string, int> vocabulary)
    {
        FileName = fileName;
        _vocabulary = vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string FileName { get; }
    public SequenceImportCounts Counts { get; } = new();
    public List<(string SourceId, int[] Events)> Sequences { get; } = [];
    /// <summary>Events in the file that the dataset's vocabulary lacks.</summary>
    public long UnknownEvents { get; private set; }

    /// <exception cref="ImportException">The file is malformed or holds no sequence.</exception>
    public static async Task<ScoringFileReader> ReadAsync(SequenceImportFormat format, Stream content, string fileName,
        IReadOnlyDictionary<string, int> vocabulary, Func<long, CancellationToken, ValueTask> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var reader = new ScoringFileReader(fileName, new Dictionary<string, int>(vocabulary, StringComparer.Ordinal));
        using var lines = new LineReader(content, fileName);
        Func<CancellationToken, ValueTask> report = token => progress(reader.Sequences.Count, token);
        await (format switch
        {
            SequenceImportFormat.Lines => LinesFormat.ImportAsync(reader, lines, report, ct),
            SequenceImportFormat.Csv => CsvFormat.ImportAsync(reader, lines, report, ct),
            SequenceImportFormat.Jsonl => JsonlFormat.ImportAsync(reader, lines, report, ct),
            _ => throw new ImportException(fileName, null, $"{format} is not a file of sequences"),
        });
        if (reader.Sequences.Count == 0) throw new ImportException(fileName, null, "the file holds no sequences");
        return reader;
    }

    public int EventIndex(ReadOnlySpan<char> token, long line)
    {
        if (_vocabulary.TryGetValue(token, out var index)) return index;
        UnknownEvents++;
        return -1;
    }

    public ValueTask AddAsync(string sourceId, long line, int[] events, DateTime[]? timestamps, KnownLabel? label, CancellationToken ct)
    {
        if (sourceId.Length == 0) throw new ImportException(FileName, line, "the sequence id is empty");
        if (sourceId.Length > SequenceWriter.MaxSourceIdLength)
        {
            throw new ImportException(FileName, line, string.Create(CultureInfo.InvariantCulture,
                $"a sequence id is longer than {SequenceWriter.MaxSourceIdLength} characters"));
        }
        if (events.Length == 0) throw new ImportException(FileName, line, $"sequence '{SequenceWriter.Printable(sourceId)}' has no events");
        Sequences.Add((sourceId, events));
        Counts.Sequences++;
        Counts.Events += events.Length;
        return ValueTask.CompletedTask;
    }
}
