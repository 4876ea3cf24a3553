using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Identity;

namespace WebApp.Web.Training.Registry;

/// <summary>
/// Model files for download, Admin only (401 anonymous, 403 other roles, 404 unknown):
/// GET /api/models/relation/{id}/file (the serialised model) and GET /api/models/novelty/{setId}/file (a zip with one
/// entry per model and a manifest.json of the set). Each model's bytes are read once and written straight to the response.
/// </summary>
public static class ModelFileApi
{
    public const string ManifestName = "manifest.json";
    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void MapModelFileApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/models/relation/{id:int}/file", RelationFileAsync).RequireAuthorization(Roles.Admin);
        endpoints.MapGet("/api/models/novelty/{setId:int}/file", NoveltyFileAsync).RequireAuthorization(Roles.Admin);
    }

    public static string RelationFileName(string projectName, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"relation-{Slug(projectName)}-v{number}.pt");

    public static string NoveltyFileName(string datasetName, int setId) =>
        string.Create(CultureInfo.InvariantCulture, $"novelty-{Slug(datasetName)}-set{setId}.zip");

    public static string ModelEntryName(int? clusterId, int modelId) => clusterId is { } id
        ? string.Create(CultureInfo.InvariantCulture, $"cluster-{id}-model-{modelId}.bin")
        : string.Create(CultureInfo.InvariantCulture, $"global-model-{modelId}.bin");

    private static async Task<IResult> RelationFileAsync(int id, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.ModelVersions.AsNoTracking().Where(v => v.Id == id)
            .Join(db.RelationProjects, v => v.ProjectId, p => p.Id, (v, p) => new { v.Number, ProjectName = p.Name })
            .FirstOrDefaultAsync(ct);
        if (version is null) return NotFound($"There is no relation model version {id}.");
        var content = await db.ModelFiles.AsNoTracking().Where(f => f.ModelVersionId == id).Select(f => f.Content).FirstOrDefaultAsync(ct);
        if (content is null) return NotFound($"Relation model version {id} has no stored model file.");
        return Results.File(content, "application/octet-stream", RelationFileName(version.ProjectName, version.Number));
    }

    private static async Task<IResult> NoveltyFileAsync(int setId, HttpContext context, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.NoveltyModelSets.AsNoTracking().Where(s => s.Id == setId)
            .Join(db.SequenceDatasets, s => s.DatasetId, d => d.Id, (s, d) => new { Set = s, DatasetName = d.Name })
            .FirstOrDefaultAsync(ct);
        if (set is null) return NotFound($"There is no novelty model set {setId}.");
        var models = await db.NoveltyModels.AsNoTracking().Where(m => m.ModelSetId == setId && db.NoveltyModelFiles.Any(f => f.ModelId == m.Id))
            .OrderBy(m => m.ClusterId == null).ThenBy(m => m.ClusterId)
            .Select(m => new { m.Id, m.ClusterId, m.Status, m.Hyperparameters, m.Threshold, m.ValidationPerplexity, m.TrainSequences, m.ValidationSequences, m.Device, m.TrainingSeconds })
            .ToListAsync(ct);
        if (models.Count == 0) return NotFound($"Novelty model set {setId} has no trained model files yet.");
        var manifest = new
        {
            setId = set.Set.Id,
            set.Set.Name,
            datasetId = set.Set.DatasetId,
            datasetName = set.DatasetName,
            set.Set.ClusteringId,
            set.Set.TargetFalsePositiveRate,
            parameters = JsonSerializer.Deserialize<JsonElement>(set.Set.Parameters),
            set.Set.CreatedAt,
            models = models.Select(m => new
            {
                modelId = m.Id,
                m.ClusterId,
                file = ModelEntryName(m.ClusterId, m.Id),
                status = m.Status.ToString(),
                hyperparameters = JsonSerializer.Deserialize<JsonElement>(m.Hyperparameters),
                m.Threshold,
                m.ValidationPerplexity,
                m.TrainSequences,
                m.ValidationSequences,
                m.Device,
                m.TrainingSeconds,
            }),
        };
        context.Response.ContentType = "application/zip";
        context.Response.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment")
        {
            FileNameStar = NoveltyFileName(set.DatasetName, setId),
        }.ToString();
        // The zip is written as it is built: one model's bytes in memory at a time. ZipArchive writes synchronously,
        // which the server refuses, so each entry is collected first and then sent asynchronously.
        var body = context.Response.Body;
        await using var pending = new PendingWrites();
        using (var archive = new ZipArchive(pending, ZipArchiveMode.Create, leaveOpen: true))
        {
            await WriteEntryAsync(archive, pending, body, ManifestName, JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson), ct);
            foreach (var model in models)
            {
                var content = await db.NoveltyModelFiles.AsNoTracking().Where(f => f.ModelId == model.Id).Select(f => f.Content).SingleAsync(ct);
                await WriteEntryAsync(archive, pending, body, ModelEntryName(model.ClusterId, model.Id), content, ct);
            }
        }
        await pending.SendAsync(body, ct);
        return Results.Empty;
    }

    private static async Task WriteEntryAsync(ZipArchive archive, PendingWrites pending, Stream body, string name, byte[] content, CancellationToken ct)
    {
        using (var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open()) stream.Write(content);
        await pending.SendAsync(body, ct);
    }

    /// <summary>A write-only stream that keeps what is written until <see cref="SendAsync"/> passes it on.</summary>
    private sealed class PendingWrites : Stream
    {
        private readonly MemoryStream _buffer = new();

        public async Task SendAsync(Stream target, CancellationToken ct)
        {
            await target.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), ct);
            await target.FlushAsync(ct);
            _buffer.SetLength(0);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => _buffer.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => _buffer.Write(buffer);
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _buffer.Dispose();
            base.Dispose(disposing);
        }
    }

    private static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>Letters and digits of a name, lower case, other runs as one hyphen: safe in any file system.</summary>
    private static string Slug(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) builder.Append(c);
            else if (builder.Length > 0 && builder[^1] != '-') builder.Append('-');
        }
        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "model" : slug[..Math.Min(slug.Length, 60)];
    }
}
