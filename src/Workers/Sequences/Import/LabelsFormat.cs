using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebApp.Domain;
using WebApp.Domain.Sequences;
using WebApp.Workers.Import;

namespace WebApp.Workers.Sequences.Import;

/// <summary>
/// Known labels for sequences already in a dataset: <c>sequence id,label</c> (comma- or tab-separated;
/// header optional: a first row that names no sequence and has no valid label is the header). Labels are normal or
/// novel (also 0 = normal, 1 = novel), case-insensitive. Every id must exist in the dataset (an id found in both parts
/// means the chosen part's sequence) and appear once. The file's labels replace earlier labels of those sequences.
/// </summary>
public static class LabelsFormat
{
    public static bool TryParseLabel(string text, out KnownLabel label)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "NORMAL" or "0":
                label = KnownLabel.Normal;
                return true;
            case "NOVEL" or "1":
                label = KnownLabel.Novel;
                return true;
            default:
                label = default;
                return false;
        }
    }

    public static async Task ImportAsync(AppDbContext db, int datasetId, string part, string fileName, LineReader lines,
        SequenceImportCounts counts, Func<CancellationToken, ValueTask> progress, CancellationToken ct)
    {
        // Ids are unique within a part; an id found in both parts means the sequence of the chosen part.
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var sequence in db.EventSequences.AsNoTracking().Where(s => s.DatasetId == datasetId)
            .Select(s => new { s.SourceId, s.Id, s.Part }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (sequence.Part == part || !sequences.ContainsKey(sequence.SourceId)) sequences[sequence.SourceId] = sequence.Id;
        }

        var first = await lines.ReadLineAsync(ct);
        while (first is not null && string.IsNullOrWhiteSpace(first)) first = await lines.ReadLineAsync(ct);
        if (first is null) throw new ImportException(fileName, null, "the file is empty");
        var reader = new DelimitedReader(lines, DelimitedReader.Detect(fileName, first));
        var labelled = new Dictionary<long, long>(); // sequence id → line
        var ids = new List<long>();
        var labels = new List<string>();
        var pending = first;
        var isFirst = true;
        while (await reader.ReadAsync(pending, ct) is { } record)
        {
            pending = null;
            counts.Lines = lines.LineNumber;
            if (record.Fields.Length < 2)
            {
                throw new ImportException(fileName, record.Line, string.Create(CultureInfo.InvariantCulture,
                    $"expected 2 {reader.Description} fields (sequence id, label), found {record.Fields.Length}"));
            }
            var sourceId = record.Fields[0].Trim();
            if (!TryParseLabel(record.Fields[1], out var label))
            {
                if (isFirst && !sequences.ContainsKey(sourceId))
                {
                    isFirst = false;
                    continue; // the header
                }
                throw new ImportException(fileName, record.Line,
                    $"label '{SequenceWriter.Printable(record.Fields[1].Trim())}' is not normal or novel (or 0/1)");
            }
            isFirst = false;
            if (!sequences.TryGetValue(sourceId, out var sequenceId))
            {
                throw new ImportException(fileName, record.Line,
                    $"no sequence with id '{SequenceWriter.Printable(sourceId)}' in the dataset");
            }
            if (!labelled.TryAdd(sequenceId, record.Line))
            {
                throw new ImportException(fileName, record.Line, string.Create(CultureInfo.InvariantCulture,
                    $"sequence '{SequenceWriter.Printable(sourceId)}' is labelled twice (also line {labelled[sequenceId]})"));
            }
            ids.Add(sequenceId);
            labels.Add(label.ToString());
            await progress(ct);
        }
        counts.Lines = lines.LineNumber;

        if (ids.Count == 0) return;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand("""
            INSERT INTO "SequenceLabels" ("SequenceId", "Label", "Source")
            SELECT l.id, l.label, @source FROM unnest(@ids, @labels) AS l(id, label)
            ON CONFLICT ("SequenceId") DO UPDATE SET "Label" = excluded."Label", "Source" = excluded."Source"
            """, connection);
        command.Parameters.AddWithValue("source", fileName);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        command.Parameters.AddWithValue("labels", labels.ToArray());
        counts.Labels = await command.ExecuteNonQueryAsync(ct);
    }
}
