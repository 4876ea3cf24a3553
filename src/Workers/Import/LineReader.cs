using System.Text;

namespace WebApp.Workers.Import;

/// <summary>Reads a text file line by line (never the whole file), counting lines for error messages.</summary>
public sealed class LineReader : IDisposable
{
    /// <summary>Longest line accepted; a longer one is an error rather than a memory problem.</summary>
    public const int MaxLineLength = 16 << 20;

    private readonly StreamReader _reader;

    public LineReader(Stream stream, string fileName)
    {
        _reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        FileName = fileName;
    }

    public string FileName { get; }

    /// <summary>The 1-based number of the line last read.</summary>
    public long LineNumber { get; private set; }

    public async ValueTask<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = await _reader.ReadLineAsync(ct);
        if (line is null) return null;
        LineNumber++;
        if (line.Length > MaxLineLength) throw Error($"line longer than {MaxLineLength} characters");
        return line;
    }

    public ImportException Error(string reason) => new(FileName, LineNumber, reason);

    public ImportException Error(long line, string reason) => new(FileName, line, reason);

    public void Dispose() => _reader.Dispose();
}

public enum Delimiter
{
    Tab,
    Comma,
}

/// <summary>One record of a TSV or CSV file, with the line it starts on.</summary>
public readonly record struct DelimitedRecord(long Line, string[] Fields);

/// <summary>TSV (fields split at tabs) or CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks).</summary>
public sealed class DelimitedReader(LineReader lines, Delimiter delimiter)
{
    public Delimiter Delimiter { get; } = delimiter;

    public string Description => Delimiter == Delimiter.Tab ? "tab-separated" : "comma-separated";

    /// <summary>By extension (.csv, .tsv/.tab), else by the first line (a tab makes it TSV).</summary>
    public static Delimiter Detect(string fileName, string firstLine)
    {
        var extension = Path.GetExtension(fileName).ToUpperInvariant();
        if (extension == ".CSV") return Delimiter.Comma;
        if (extension is ".TSV" or ".TAB") return Delimiter.Tab;
        return firstLine.Contains('\t', StringComparison.Ordinal) || !firstLine.Contains(',', StringComparison.Ordinal)
            ? Delimiter.Tab
            : Delimiter.Comma;
    }

    /// <summary>The next non-blank record, or null at the end.</summary>
    public async ValueTask<DelimitedRecord?> ReadAsync(string? firstLine, CancellationToken ct)
    {
        var line = firstLine ?? await lines.ReadLineAsync(ct);
        while (line is not null && string.IsNullOrWhiteSpace(line)) line = await lines.ReadLineAsync(ct);
        if (line is null) return null;
        var start = lines.LineNumber;
        if (Delimiter == Delimiter.Tab) return new DelimitedRecord(start, line.Split('\t'));
        return new DelimitedRecord(start, await ParseCsvAsync(line, start, ct));
    }

    private async ValueTask<string[]> ParseCsvAsync(string line, long start, CancellationToken ct)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        var quoted = false;
        var fieldStart = true;
        while (true)
        {
            if (i >= line.Length)
            {
                if (!quoted) break;
                var next = await lines.ReadLineAsync(ct)
                    ?? throw lines.Error(start, "a quoted field is not closed before the end of the file");
                if (field.Length > LineReader.MaxLineLength) throw lines.Error(start, "a quoted field is too long");
                field.Append('\n');
                line = next;
                i = 0;
                continue;
            }
            var c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                    i++;
                    if (i < line.Length && line[i] != ',')
                    {
                        throw lines.Error(start, "unexpected character after a closing quote (a quote inside a quoted field must be doubled)");
                    }
                    continue;
                }
                field.Append(c);
                i++;
                continue;
            }
            if (c == '"' && fieldStart)
            {
                quoted = true;
                fieldStart = false;
                i++;
                continue;
            }
            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                fieldStart = true;
                i++;
                continue;
            }
            field.Append(c);
            fieldStart = false;
            i++;
        }
        fields.Add(field.ToString());
        return [.. fields];
    }
}

/// <summary>Counts the bytes read through it, for progress against the upload's length.</summary>
public sealed class CountingStream(Stream inner) : Stream
{
    private long _bytesRead;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Interlocked.Add(ref _bytesRead, read);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Interlocked.Add(ref _bytesRead, read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
