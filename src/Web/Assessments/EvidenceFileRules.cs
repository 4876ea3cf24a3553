using System.Text;

namespace WebApp.Web.Assessments;

/// <summary>
/// Which evidence files are accepted: at most <see cref="MaxBytes"/>, of an allowed type judged by the content, not
/// only the name — binary types by their signature, text types by being valid UTF-8 without NUL bytes. The check
/// runs while the file streams into storage, so a refused file is rolled back with its upload.
/// </summary>
public static class EvidenceFileRules
{
    public const long MaxBytes = 20L << 20;
    public const string AllowedTypes = "PDF, PNG, JPEG, Word, Excel or PowerPoint (.docx, .xlsx, .pptx) and text (.txt, .md, .csv, .json, .html)";

    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];

    private sealed record FileType(string ContentType, string Name, byte[]? Signature);

    // A null signature marks a text type: valid UTF-8 throughout instead.
    private static readonly Dictionary<string, FileType> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = new("application/pdf", "a PDF document", Pdf),
        [".png"] = new("image/png", "a PNG image", Png),
        [".jpg"] = new("image/jpeg", "a JPEG image", Jpeg),
        [".jpeg"] = new("image/jpeg", "a JPEG image", Jpeg),
        [".docx"] = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a Word document", Zip),
        [".xlsx"] = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "an Excel workbook", Zip),
        [".pptx"] = new("application/vnd.openxmlformats-officedocument.presentationml.presentation", "a PowerPoint presentation", Zip),
        [".txt"] = new("text/plain; charset=utf-8", "text", null),
        [".md"] = new("text/markdown; charset=utf-8", "text", null),
        [".csv"] = new("text/csv; charset=utf-8", "text", null),
        [".json"] = new("application/json", "text", null),
        [".html"] = new("text/html; charset=utf-8", "text", null),
        [".htm"] = new("text/html; charset=utf-8", "text", null),
    };

    /// <summary>The content type a file of this name is stored with; refuses names of types that are not accepted.</summary>
    public static string ContentTypeOf(string fileName) => TypeOf(fileName).ContentType;

    /// <summary>
    /// The content as it is read, checked on the way: reading throws <see cref="InvalidDataException"/> (with a message
    /// for the user) as soon as the content is too large or does not match the type its name claims.
    /// </summary>
    public static Stream Checked(Stream content, string fileName) => new CheckedStream(content, Path.GetFileName(fileName), TypeOf(fileName));

    private static FileType TypeOf(string fileName)
    {
        var extension = Path.GetExtension(fileName);
        if (string.IsNullOrEmpty(extension) || !Types.TryGetValue(extension, out var type))
        {
            var shown = string.IsNullOrEmpty(extension) ? "without an extension" : $"of type {extension.ToLowerInvariant()}";
            throw new InvalidDataException($"Files {shown} are not accepted as evidence. Allowed: {AllowedTypes}.");
        }
        return type;
    }

    private sealed class CheckedStream(Stream inner, string fileName, FileType type) : Stream
    {
        private readonly byte[] _head = new byte[type.Signature?.Length ?? 0];
        private readonly Decoder? _utf8 = type.Signature is null ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder() : null;
        private int _headFilled;
        private long _length;
        private bool _finished;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Inspect(buffer[..read]);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Inspect(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Inspect(ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty)
            {
                Finish();
                return;
            }
            _length += data.Length;
            if (_length > MaxBytes) throw new InvalidDataException($"{fileName} is larger than the limit of {MaxBytes >> 20} MiB.");
            if (type.Signature is { } signature)
            {
                if (_headFilled < _head.Length)
                {
                    var take = Math.Min(_head.Length - _headFilled, data.Length);
                    data[..take].CopyTo(_head.AsSpan(_headFilled));
                    _headFilled += take;
                    if (_headFilled == _head.Length && !_head.AsSpan().SequenceEqual(signature)) throw Mismatch();
                }
                return;
            }
            if (data.Contains((byte)0)) throw new InvalidDataException($"{fileName} contains NUL bytes: it is not a text file.");
            try
            {
                _utf8!.GetCharCount(data, flush: false);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException($"{fileName} is not valid UTF-8 text.");
            }
        }

        private void Finish()
        {
            if (_finished) return;
            _finished = true;
            if (_length == 0) throw new InvalidDataException($"{fileName} is empty.");
            if (_headFilled < _head.Length) throw Mismatch();
            if (_utf8 is null) return;
            try
            {
                _utf8.GetCharCount([], flush: true);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException($"{fileName} is not valid UTF-8 text (it ends inside a character).");
            }
        }

        private InvalidDataException Mismatch() =>
            new($"{fileName} is not {type.Name}: its content does not match its extension.");

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
