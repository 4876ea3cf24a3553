using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.Uploads;

/// <summary>Writes uploads to PostgreSQL in chunks (all or nothing) and streams them back.</summary>
public sealed class UploadStore(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const int ChunkSize = 1 << 20;

    /// <summary>Stores the whole stream in one transaction; refuses it when it exceeds <paramref name="maxBytes"/>.</summary>
    public async Task<UploadedFile> SaveAsync(Stream content, string fileName, string contentType, string uploadedBy,
        long maxBytes, CancellationToken ct)
    {
        var file = new UploadedFile
        {
            Id = Guid.CreateVersion7(),
            FileName = Path.GetFileName(fileName),
            ContentType = contentType,
            UploadedByName = uploadedBy,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.UploadedFiles.Add(file);
        await db.SaveChangesAsync(ct);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        for (var index = 0; ; index++)
        {
            var filled = await content.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, ct);
            if (filled == 0) break;
            file.Length += filled;
            if (file.Length > maxBytes)
            {
                throw new InvalidDataException($"{file.FileName} is larger than the limit of {maxBytes / (1 << 20)} MiB.");
            }
            hash.AppendData(buffer, 0, filled);
            db.UploadChunks.Add(new UploadChunk { FileId = file.Id, Index = index, Data = buffer[..filled] });
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            db.Attach(file);
            if (filled < ChunkSize) break;
        }
        file.Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return file;
    }

    /// <summary>Reads an upload chunk by chunk; only one chunk is in memory at a time.</summary>
    public Stream OpenRead(Guid fileId) => new ChunkStream(dbFactory, fileId);

    private sealed class ChunkStream(IDbContextFactory<AppDbContext> dbFactory, Guid fileId) : Stream
    {
        private byte[] _chunk = [];
        private int _offset;
        private int _nextIndex;
        private bool _ended;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_offset == _chunk.Length)
            {
                if (_ended) return 0;
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var index = _nextIndex++;
                var next = await db.UploadChunks.AsNoTracking()
                    .Where(c => c.FileId == fileId && c.Index == index)
                    .Select(c => c.Data).SingleOrDefaultAsync(cancellationToken);
                if (next is null)
                {
                    _ended = true;
                    return 0;
                }
                _chunk = next;
                _offset = 0;
            }
            var count = Math.Min(buffer.Length, _chunk.Length - _offset);
            _chunk.AsMemory(_offset, count).CopyTo(buffer);
            _offset += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
