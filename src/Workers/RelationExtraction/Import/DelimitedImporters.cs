using WebApp.Workers.Import;

namespace WebApp.Workers.RelationExtraction.Import;

/// <summary>Called after each record; the job throttles its progress reports itself.</summary>
public delegate ValueTask ImportProgress(CancellationToken ct);

/// <summary>Relations TSV: relation key, name, description (header optional; an NA row is allowed and changes nothing).</summary>
public static class RelationsImporter
{
    public static async Task ImportAsync(ImportWriter writer, Stream stream, string fileName, ImportProgress progress,
        CancellationToken ct)
    {
        using var lines = new LineReader(stream, fileName);
        var records = new DelimitedReader(lines, Delimiter.Tab);
        var linesBefore = writer.Counts.Lines;
        var first = true;
        while (await records.ReadAsync(null, ct) is { } record)
        {
            writer.Counts.Lines = linesBefore + lines.LineNumber;
            var fields = record.Fields;
            if (first)
            {
                first = false;
                if (Headers.IsHeader(fields[0], "relation", "key", "id", "relation_id", "relation id")) continue;
            }
            if (fields.Length > 3)
            {
                throw lines.Error(record.Line, $"expected 1 to 3 tab-separated fields (relation, name, description), found {fields.Length}");
            }
            try
            {
                await writer.RelationTypeAsync(fields[0], fields.Length > 1 ? fields[1] : null, fields.Length > 2 ? fields[2] : null,
                    update: true, ct);
            }
            catch (InvalidDataException e)
            {
                throw lines.Error(record.Line, e.Message);
            }
            await progress(ct);
        }
        writer.Counts.Lines = linesBefore + lines.LineNumber;
    }
}

/// <summary>
/// Knowledge-base facts, TSV or CSV (by extension, else by the first line): head id, head name, relation,
/// tail id, tail name; header optional. Unknown relations are created (name = key); repeated facts are
/// skipped; facts labelled NA are ignored (a missing fact already means NA). Aliases: entity id, alias.
/// </summary>
public static class KnowledgeBaseImporter
{
    public static async Task ImportFactsAsync(ImportWriter writer, Stream stream, string fileName, ImportProgress progress,
        CancellationToken ct)
    {
        using var lines = new LineReader(stream, fileName);
        var linesBefore = writer.Counts.Lines;
        var firstLine = await FirstNonBlankAsync(lines, ct);
        if (firstLine is null) throw new ImportException(fileName, null, "the file is empty");
        var records = new DelimitedReader(lines, DelimitedReader.Detect(fileName, firstLine));
        var first = true;
        while (await records.ReadAsync(first ? firstLine : null, ct) is { } record)
        {
            writer.Counts.Lines = linesBefore + lines.LineNumber;
            var fields = record.Fields;
            if (first)
            {
                first = false;
                if (fields[0].Trim().StartsWith("head", StringComparison.OrdinalIgnoreCase)) continue;
            }
            if (fields.Length != 5)
            {
                throw lines.Error(record.Line, $"expected 5 {records.Description} fields, found {fields.Length}");
            }
            try
            {
                if (ImportWriter.IsNaLabel(fields[2].Trim())) continue;
                var head = await writer.EntityAsync(fields[0], fields[1], ct);
                var relation = await writer.RelationTypeAsync(fields[2], null, null, update: false, ct);
                var tail = await writer.EntityAsync(fields[3], fields[4], ct);
                writer.Fact(head, relation, tail);
            }
            catch (InvalidDataException e)
            {
                throw lines.Error(record.Line, e.Message);
            }
            await writer.MaybeFlushAsync(ct);
            await progress(ct);
        }
        writer.Counts.Lines = linesBefore + lines.LineNumber;
    }

    public static async Task ImportAliasesAsync(ImportWriter writer, Stream stream, string fileName, ImportProgress progress,
        CancellationToken ct)
    {
        using var lines = new LineReader(stream, fileName);
        var linesBefore = writer.Counts.Lines;
        var firstLine = await FirstNonBlankAsync(lines, ct);
        if (firstLine is null) return;
        var records = new DelimitedReader(lines, DelimitedReader.Detect(fileName, firstLine));
        var first = true;
        while (await records.ReadAsync(first ? firstLine : null, ct) is { } record)
        {
            writer.Counts.Lines = linesBefore + lines.LineNumber;
            var fields = record.Fields;
            var id = fields[0].Trim();
            if (first)
            {
                first = false;
                if (!writer.EntityIds.ContainsKey(id)
                    && Headers.IsHeader(id, "entity", "entity_id", "entityid", "entity id", "id", "kb_id", "kbid")) continue;
            }
            if (fields.Length != 2)
            {
                throw lines.Error(record.Line, $"expected 2 {records.Description} fields (entity id, alias), found {fields.Length}");
            }
            if (!writer.EntityIds.TryGetValue(id, out var entity))
            {
                throw lines.Error(record.Line, $"unknown entity id '{id}'");
            }
            try
            {
                writer.Alias(entity, fields[1]);
            }
            catch (InvalidDataException e)
            {
                throw lines.Error(record.Line, e.Message);
            }
            await writer.MaybeFlushAsync(ct);
            await progress(ct);
        }
        writer.Counts.Lines = linesBefore + lines.LineNumber;
    }

    private static async Task<string?> FirstNonBlankAsync(LineReader lines, CancellationToken ct)
    {
        string? line;
        do line = await lines.ReadLineAsync(ct);
        while (line is not null && string.IsNullOrWhiteSpace(line));
        return line;
    }
}

internal static class Headers
{
    public static bool IsHeader(string field, params string[] names) =>
        names.Any(n => n.Equals(field.Trim().TrimStart('#'), StringComparison.OrdinalIgnoreCase));
}
