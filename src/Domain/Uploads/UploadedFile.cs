namespace WebApp.Domain.Uploads;

/// <summary>
/// A file a user uploaded, kept in PostgreSQL in chunks so that web and workers on different machines
/// share it and a worker can stream it without holding it in memory.
/// </summary>
public class UploadedFile
{
    public Guid Id { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Length { get; set; }
    public string Sha256 { get; set; } = "";
    public string UploadedByName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

public class UploadChunk
{
    public Guid FileId { get; set; }
    public int Index { get; set; }
    public byte[] Data { get; set; } = [];
}
