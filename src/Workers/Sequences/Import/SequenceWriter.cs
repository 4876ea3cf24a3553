using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using WebApp.Domain;
using WebApp.Domain.Sequences;
using WebApp.Workers.Import;

namespace WebApp.Workers.Sequences.Import;

/// <summary>What one sequence import read and wrote (the job's metrics).</summary>
public sealed class SequenceImportCounts
{
    public long Lines { get; set; }
    /// <summary>Blank lines skipped (they carry no sequence; ids keep counting the physical lines).</summary>
    public long BlankLines { get; set; }
    public long Sequences { get; set; }
    public long Events { get; set; }
    public long NewEventTypes { get; set; }
    public long VocabularySize { get; set; }
    /// <summary>Known labels written (new or replacing earlier ones).</summary>
    public long Labels { get; set; }
    /// <summary>Wall-clock seconds from the start of the transaction to just before the commit.</summary>
    public double Seconds { get; set; }
}

/// <summary>
/// Writes one import's sequences into a dataset part inside the caller's transaction: the vocabulary grows by new
/// keys (dense indexes, palette colours), sequences stream into a binary COPY as they are parsed, ordinals continue
/// the dataset's, and a source id already in the part is an error naming its line. Nothing commits here.
/// </summary>
public sealed class SequenceWriter : ISequenceSink, IAsyncDisposable
{
    public const int MaxKeyLength = 200;
    public const int MaxSourceIdLength = 200;

    private readonly AppDbContext _db;
    private readonly NpgsqlConnection _connection;
    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabularyBySpan;
    private readonly List<SequenceEventType> _newTypes = [];
    /// <summary>Source ids of the part: the line that brought it in this file, or 0 for sequences stored earlier.</summary>
    private readonly Dictionary<string, long> _sourceIds;
    private readonly List<int> _labelledOrdinals = [];
    private readonly List<string> _labels = [];
    private readonly int _ordinalsBefore;
    private readonly KnownLabel? _labelAll;
    private NpgsqlBinaryImporter? _copy;
    private int _lastOrdinal;

    private SequenceWriter(AppDbContext db, int datasetId, string part, string fileName, KnownLabel? labelAll,
        Dictionary<string, int> vocabulary, Dictionary<string, long> sourceIds, int ordinalsBefore)
    {
        _db = db;
        _connection = (NpgsqlConnection)db.Database.GetDbConnection();
        DatasetId = datasetId;
        Part = part;
        FileName = fileName;
        _labelAll = labelAll;
        _vocabulary = vocabulary;
        _vocabularyBySpan = vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        _sourceIds = sourceIds;
        _ordinalsBefore = ordinalsBefore;
        _lastOrdinal = ordinalsBefore;
    }

    public int DatasetId { get; }
    public string Part { get; }
    public string FileName { get; }
    public SequenceImportCounts Counts { get; } = new();

    /// <summary>Loads the dataset's vocabulary, the part's source ids and the last ordinal (the dataset row is locked by the caller).</summary>
    public static async Task<SequenceWriter> OpenAsync(AppDbContext db, int datasetId, string part, string fileName,
        KnownLabel? labelAll, CancellationToken ct)
    {
        var vocabulary = await db.SequenceEventTypes.AsNoTracking().Where(e => e.DatasetId == datasetId)
            .ToDictionaryAsync(e => e.Key, e => e.Index, StringComparer.Ordinal, ct);
        var sourceIds = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var id in db.EventSequences.AsNoTracking().Where(s => s.DatasetId == datasetId && s.Part == part)
            .Select(s => s.SourceId).AsAsyncEnumerable().WithCancellation(ct))
        {
            sourceIds[id] = 0;
        }
        var ordinals = await db.EventSequences.Where(s => s.DatasetId == datasetId).MaxAsync(s => (int?)s.Ordinal, ct) ?? 0;
        var writer = new SequenceWriter(db, datasetId, part, fileName, labelAll, vocabulary, sourceIds, ordinals);
        writer.Counts.VocabularySize = vocabulary.Count;
        return writer;
    }

    /// <summary>The vocabulary index of <paramref name="token"/>, appending it as a new event type when unseen.</summary>
    public int EventIndex(ReadOnlySpan<char> token, long line)
    {
        if (_vocabularyBySpan.TryGetValue(token, out var index)) return index;
        var key = token.ToString();
        if (key.Length == 0) throw new ImportException(FileName, line, "an event is empty");
        if (key.Length > MaxKeyLength)
        {
            throw new ImportException(FileName, line, string.Create(CultureInfo.InvariantCulture,
                $"event '{Shorten(key)}' is longer than {MaxKeyLength} characters"));
        }
        if (key.Any(char.IsControl)) throw new ImportException(FileName, line, $"event '{Printable(key)}' contains a control character");
        index = _vocabulary.Count;
        _vocabulary.Add(key, index);
        _newTypes.Add(new SequenceEventType
        {
            DatasetId = DatasetId,
            Index = index,
            Key = key,
            DisplayName = key,
            Color = EventPalette.ColorOf(index),
        });
        return index;
    }

    /// <summary>Queues one sequence for the COPY; <paramref name="line"/> is where it starts (for errors).</summary>
    public async ValueTask AddAsync(string sourceId, long line, int[] events, DateTime[]? timestamps, KnownLabel? label,
        CancellationToken ct)
    {
        if (sourceId.Length == 0) throw new ImportException(FileName, line, "the sequence id is empty");
        if (sourceId.Length > MaxSourceIdLength)
        {
            throw new ImportException(FileName, line, string.Create(CultureInfo.InvariantCulture,
                $"sequence id '{Shorten(sourceId)}' is longer than {MaxSourceIdLength} characters"));
        }
        if (events.Length == 0) throw new ImportException(FileName, line, $"sequence '{Printable(sourceId)}' has no events");
        if (_sourceIds.TryGetValue(sourceId, out var earlier))
        {
            throw new ImportException(FileName, line, earlier > 0
                ? string.Create(CultureInfo.InvariantCulture, $"sequence id '{Printable(sourceId)}' repeats line {earlier}")
                : $"sequence id '{Printable(sourceId)}' is already in part '{Part}' of the dataset (was this file imported before?)");
        }
        _sourceIds.Add(sourceId, line);

        _copy ??= await _connection.BeginBinaryImportAsync(
            """COPY "EventSequences" ("DatasetId", "Part", "Ordinal", "SourceId", "Events", "Timestamps", "Length") FROM STDIN (FORMAT BINARY)""",
            ct);
        var ordinal = ++_lastOrdinal;
        await _copy.StartRowAsync(ct);
        await _copy.WriteAsync(DatasetId, NpgsqlDbType.Integer, ct);
        await _copy.WriteAsync(Part, NpgsqlDbType.Varchar, ct);
        await _copy.WriteAsync(ordinal, NpgsqlDbType.Integer, ct);
        await _copy.WriteAsync(sourceId, NpgsqlDbType.Varchar, ct);
        await _copy.WriteAsync(events, NpgsqlDbType.Array | NpgsqlDbType.Integer, ct);
        if (timestamps is null) await _copy.WriteNullAsync(ct);
        else await _copy.WriteAsync(timestamps, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, ct);
        await _copy.WriteAsync(events.Length, NpgsqlDbType.Integer, ct);

        if (label is { } known)
        {
            _labelledOrdinals.Add(ordinal);
            _labels.Add(known.ToString());
        }
        Counts.Sequences++;
        Counts.Events += events.Length;
    }

    /// <summary>Ends the COPY, stores the new event types and the labels (a sequence's own label before label-all).</summary>
    public async Task<SequenceImportCounts> CompleteAsync(CancellationToken ct)
    {
        if (_copy is not null)
        {
            await _copy.CompleteAsync(ct);
            await _copy.DisposeAsync();
            _copy = null;
        }
        if (_newTypes.Count > 0)
        {
            _db.SequenceEventTypes.AddRange(_newTypes);
            await _db.SaveChangesAsync(ct);
        }
        Counts.NewEventTypes = _newTypes.Count;
        Counts.VocabularySize = _vocabulary.Count;

        if (_labels.Count > 0)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO "SequenceLabels" ("SequenceId", "Label", "Source")
                SELECT s."Id", l.label, @source
                FROM unnest(@ordinals, @labels) AS l(ordinal, label)
                JOIN "EventSequences" s ON s."DatasetId" = @dataset AND s."Ordinal" = l.ordinal
                """, _connection);
            command.Parameters.AddWithValue("source", FileName);
            command.Parameters.AddWithValue("ordinals", _labelledOrdinals.ToArray());
            command.Parameters.AddWithValue("labels", _labels.ToArray());
            command.Parameters.AddWithValue("dataset", DatasetId);
            Counts.Labels += await command.ExecuteNonQueryAsync(ct);
        }
        if (_labelAll is { } all && _lastOrdinal > _ordinalsBefore)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO "SequenceLabels" ("SequenceId", "Label", "Source")
                SELECT "Id", @label, @source FROM "EventSequences"
                WHERE "DatasetId" = @dataset AND "Ordinal" > @before AND "Ordinal" <= @last
                ON CONFLICT ("SequenceId") DO NOTHING
                """, _connection);
            command.Parameters.AddWithValue("label", all.ToString());
            command.Parameters.AddWithValue("source", FileName);
            command.Parameters.AddWithValue("dataset", DatasetId);
            command.Parameters.AddWithValue("before", _ordinalsBefore);
            command.Parameters.AddWithValue("last", _lastOrdinal);
            Counts.Labels += await command.ExecuteNonQueryAsync(ct);
        }
        return Counts;
    }

    public async ValueTask DisposeAsync()
    {
        if (_copy is not null) await _copy.DisposeAsync(); // not completed: the COPY is cancelled, the transaction rolls back
    }

    /// <summary>A value as an error message shows it: control characters escaped, long values cut.</summary>
    public static string Printable(string value)
    {
        var text = new StringBuilder();
        foreach (var c in Shorten(value))
        {
            if (char.IsControl(c)) text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else text.Append(c);
        }
        return text.ToString();
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
