using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Identity;
using WebApp.Domain.Uploads;

namespace WebApp.Web.Assessments.Report;

/// <summary>Loads an assessment as its report and exports show it, and serves the JSON and CSV exports.</summary>
public sealed class AssessmentReports(AssessmentService assessments, IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The assessment in the catalog's structure; null when there is no such assessment.</summary>
    public async Task<AssessmentExport?> LoadAsync(int assessmentId, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Assessments.AnyAsync(a => a.Id == assessmentId, ct)) return null;
        }
        var view = await assessments.LoadAsync(assessmentId, ct);
        List<Guid> fileIds = [.. view.Evidence.Where(e => e.UploadedFileId is not null).Select(e => e.UploadedFileId!.Value).Distinct()];
        Dictionary<Guid, EvidenceFile> files = [];
        if (fileIds.Count > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            files = await db.UploadedFiles.AsNoTracking().Where(f => fileIds.Contains(f.Id))
                .ToDictionaryAsync(f => f.Id, f => new EvidenceFile(f.FileName, f.Sha256, f.Length), ct);
        }
        return AssessmentExportBuilder.Build(view, files, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>E.g. "assessment-12-relation-extractor-cycle1-v2": the application's name in lower-case ASCII, for download names.</summary>
    public static string FileStem(AssessmentExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var slug = new StringBuilder();
        foreach (var c in export.Application.Name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var name = slug.ToString().Trim('-');
        if (name.Length > 40) name = name[..40].TrimEnd('-');
        var a = export.Assessment;
        return string.Create(CultureInfo.InvariantCulture,
            $"assessment-{a.Id}{(name.Length > 0 ? "-" + name : "")}-cycle{a.Cycle}-v{a.Version}");
    }

    /// <summary>GET /api/assessments/{id}/export.json and /export.csv, for every assessment participant.</summary>
    public static void MapAssessmentExports(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/assessments/{id:int}")
            .RequireAuthorization(new AuthorizeAttribute { Roles = Roles.AssessmentParticipants });
        group.MapGet("/export.json", async (int id, AssessmentReports reports, CancellationToken ct) =>
        {
            var export = await reports.LoadAsync(id, ct);
            return export is null ? Results.NotFound()
                : Results.File(Encoding.UTF8.GetBytes(AssessmentExportFormats.ToJson(export)), "application/json", FileStem(export) + ".json");
        });
        group.MapGet("/export.csv", async (int id, AssessmentReports reports, CancellationToken ct) =>
        {
            var export = await reports.LoadAsync(id, ct);
            // With a byte-order mark, so spreadsheet programs read the UTF-8 text (e.g. "·", accents) as such.
            return export is null ? Results.NotFound()
                : Results.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(AssessmentExportFormats.ToCsv(export))],
                    "text/csv; charset=utf-8", FileStem(export) + ".csv");
        });
        group.MapGet("/evidence/{evidenceId:int}/file", async (int id, int evidenceId, HttpContext http,
            IDbContextFactory<AppDbContext> dbFactory, UploadStore uploads, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var file = await db.AssessmentEvidence.AsNoTracking()
                .Where(e => e.Id == evidenceId && e.AssessmentId == id)
                .Join(db.UploadedFiles, e => e.UploadedFileId, f => f.Id, (e, f) => f)
                .SingleOrDefaultAsync(ct);
            if (file is null) return Results.NotFound();
            // Always a download, never rendered in the app's origin (evidence may be HTML or SVG-like text).
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Stream(uploads.OpenRead(file.Id), "application/octet-stream", file.FileName);
        });
    }

    /// <summary>Where an uploaded evidence file is downloaded.</summary>
    public static string EvidenceFileUrl(int assessmentId, int evidenceId) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/assessments/{assessmentId}/evidence/{evidenceId}/file");
}
