using System.Globalization;
using WebApp.Workers.Import;

namespace WebApp.Workers.Sequences.Import;

/// <summary>
/// One event per row with a header: sequence id, position or timestamp, event (RFC 4180 quoting; tab-separated when
/// the file is .tsv or its header has tabs). Columns are found by their header names
/// (<see cref="IdNames"/>, <see cref="OrderNames"/>, <see cref="EventNames"/>), else taken as the first three.
/// Rows of a sequence may come in any order and interleave with other sequences: events are sorted by integer
/// position (a position used twice in a sequence is an error) or by ISO 8601 timestamp (stored in UTC; equal
/// timestamps keep file order). The first data row decides which of the two the file uses. Sequences are stored in
/// the order their first row appears.
/// </summary>
/// <remarks>
/// Grouping needs every row of a sequence before the sequence is written, so the parsed events (not the text) are
/// held in memory: about 24 bytes per event.
/// </remarks>
public static class CsvFormat
{
    public static readonly IReadOnlyList<string> IdNames = ["sequence_id", "sequence", "id", "session_id", "session", "block_id", "case_id", "trace_id"];
    public static readonly IReadOnlyList<string> OrderNames = ["position", "pos", "index", "order", "step", "timestamp", "time", "ts", "datetime"];
    public static readonly IReadOnlyList<string> EventNames = ["event", "event_type", "event_id", "key", "log_key", "activity", "token", "type"];

    private readonly record struct Row(long Order, int Event, long Line);

    private sealed class Group(string id, long firstLine)
    {
        public string Id { get; } = id;
        public long FirstLine { get; } = firstLine;
        public List<Row> Rows { get; } = [];
    }

    public static async Task ImportAsync(ISequenceSink writer, LineReader lines, Func<CancellationToken, ValueTask> progress,
        CancellationToken ct)
    {
        var first = await lines.ReadLineAsync(ct);
        while (first is not null && string.IsNullOrWhiteSpace(first)) first = await lines.ReadLineAsync(ct);
        if (first is null) throw new ImportException(writer.FileName, null, "the file is empty; expected a header line");
        var reader = new DelimitedReader(lines, DelimitedReader.Detect(writer.FileName, first));
        var header = (await reader.ReadAsync(first, ct))!.Value;
        var (idColumn, orderColumn, eventColumn) = Columns(header, writer.FileName, reader.Description);
        var width = Math.Max(idColumn, Math.Max(orderColumn, eventColumn)) + 1;

        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        var order = new List<Group>();
        bool? timestamps = null;
        while (await reader.ReadAsync(null, ct) is { } record)
        {
            writer.Counts.Lines = lines.LineNumber;
            if (record.Fields.Length < width)
            {
                throw new ImportException(writer.FileName, record.Line, string.Create(CultureInfo.InvariantCulture,
                    $"expected {width} {reader.Description} fields (sequence id, position or timestamp, event), found {record.Fields.Length}"));
            }
            var id = record.Fields[idColumn].Trim();
            if (id.Length == 0) throw new ImportException(writer.FileName, record.Line, "the sequence id is empty");
            var orderText = record.Fields[orderColumn].Trim();
            var firstRow = timestamps is null;
            timestamps ??= !long.TryParse(orderText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            var orderKey = timestamps.Value
                ? TimestampTicks(orderText, firstRow, writer.FileName, record.Line)
                : Position(orderText, writer.FileName, record.Line);
            var eventIndex = writer.EventIndex(record.Fields[eventColumn].Trim(), record.Line);
            if (!groups.TryGetValue(id, out var group))
            {
                group = new Group(id, record.Line);
                groups.Add(id, group);
                order.Add(group);
            }
            group.Rows.Add(new Row(orderKey, eventIndex, record.Line));
            await progress(ct);
        }
        writer.Counts.Lines = lines.LineNumber;

        foreach (var group in order)
        {
            // Stable: equal timestamps keep file order (rows were added in line order).
            var rows = group.Rows.OrderBy(r => r.Order).ThenBy(r => r.Line).ToArray();
            if (timestamps == false)
            {
                for (var i = 1; i < rows.Length; i++)
                {
                    if (rows[i].Order == rows[i - 1].Order)
                    {
                        var (earlier, later) = rows[i].Line < rows[i - 1].Line ? (rows[i], rows[i - 1]) : (rows[i - 1], rows[i]);
                        throw new ImportException(writer.FileName, later.Line, string.Create(CultureInfo.InvariantCulture,
                            $"sequence '{SequenceWriter.Printable(group.Id)}' has position {later.Order} twice (also line {earlier.Line})"));
                    }
                }
            }
            var stamps = timestamps == true ? rows.Select(r => new DateTime(r.Order, DateTimeKind.Utc)).ToArray() : null;
            await writer.AddAsync(group.Id, group.FirstLine, rows.Select(r => r.Event).ToArray(), stamps, null, ct);
            group.Rows.Clear();
        }
    }

    private static (int Id, int Order, int Event) Columns(DelimitedRecord header, string fileName, string description)
    {
        if (header.Fields.Length < 3)
        {
            throw new ImportException(fileName, header.Line, string.Create(CultureInfo.InvariantCulture,
                $"the header needs 3 {description} columns (sequence id, position or timestamp, event), found {header.Fields.Length}"));
        }
        var names = header.Fields.Select(f => f.Trim().ToLowerInvariant().Replace(' ', '_')).ToList();
        int Find(IReadOnlyList<string> candidates) => candidates.Select(c => names.IndexOf(c)).FirstOrDefault(i => i >= 0, -1);
        var (id, order, eventColumn) = (Find(IdNames), Find(OrderNames), Find(EventNames));
        return id >= 0 && order >= 0 && eventColumn >= 0 && new[] { id, order, eventColumn }.Distinct().Count() == 3
            ? (id, order, eventColumn)
            : (0, 1, 2);
    }

    private static long Position(string text, string fileName, long line) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var position)
            ? position
            : throw new ImportException(fileName, line, $"'{SequenceWriter.Printable(text)}' is not an integer position (the file's first row gave one)");

    private static long TimestampTicks(string text, bool firstRow, string fileName, long line)
    {
        // ISO 8601 only (yyyy-mm-dd…): culture-dependent forms such as 1/2/2024 are ambiguous.
        if (text.Length >= 10 && text[4] == '-' && text[7] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.UtcDateTime.Ticks;
        }
        throw new ImportException(fileName, line, firstRow
            ? $"'{SequenceWriter.Printable(text)}' is neither an integer position nor an ISO 8601 timestamp (e.g. 2024-05-01T12:00:00Z)"
            : $"'{SequenceWriter.Printable(text)}' is not an ISO 8601 timestamp (the file's first row gave one)");
    }
}
