using System.Globalization;
using WebApp.Workers.Import;

namespace WebApp.Workers.Sequences.Import;

/// <summary>
/// One sequence per line, events separated by spaces or tabs (the DeepLog HDFS files). Trailing spaces, CRLF and a
/// missing final newline are fine. A blank line is skipped and counted, not an empty sequence. A sequence's id is
/// "file:line" (e.g. "hdfs_train:17"): unique across the files imported into one part, and it names the line.
/// </summary>
public static class LinesFormat
{
    public static async Task ImportAsync(ISequenceSink writer, LineReader lines, Func<CancellationToken, ValueTask> progress,
        CancellationToken ct)
    {
        var prefix = SourceIdPrefix(writer.FileName);
        var events = new List<int>(64);
        while (await lines.ReadLineAsync(ct) is { } line)
        {
            writer.Counts.Lines = lines.LineNumber;
            events.Clear();
            var rest = line.AsSpan();
            while (true)
            {
                var start = rest.IndexOfAnyExcept(' ', '\t');
                if (start < 0) break;
                rest = rest[start..];
                var end = rest.IndexOfAny(' ', '\t');
                var token = end < 0 ? rest : rest[..end];
                events.Add(writer.EventIndex(token, lines.LineNumber));
                if (end < 0) break;
                rest = rest[end..];
            }
            if (events.Count == 0)
            {
                writer.Counts.BlankLines++;
                continue;
            }
            var sourceId = string.Create(CultureInfo.InvariantCulture, $"{prefix}:{lines.LineNumber}");
            await writer.AddAsync(sourceId, lines.LineNumber, [.. events], null, null, ct);
            await progress(ct);
        }
    }

    /// <summary>The file name the ids start with (kept short enough that "name:line" fits a source id).</summary>
    public static string SourceIdPrefix(string fileName)
    {
        var name = Path.GetFileName(fileName);
        return name.Length > 160 ? name[..160] : name;
    }
}
