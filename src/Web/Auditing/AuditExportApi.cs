using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Identity;
using WebApp.Web.Components;

namespace WebApp.Web.Auditing;

/// <summary>The audit viewer's records as CSV: GET /api/audit/export.csv with the viewer's query string, Admin only.</summary>
public static class AuditExportApi
{
    public const string Path = "/api/audit/export.csv";

    public static readonly IReadOnlyList<string> Columns =
        ["id", "timestamp", "user_id", "user_name", "action", "entity_type", "entity_id", "before", "after", "previous_hash", "hash"];

    // Rows are written this many at a time: the export's memory stays flat however many records match.
    private const int BatchSize = 500;

    public static void MapAuditExportApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path, (HttpRequest request, IDbContextFactory<AppDbContext> dbFactory) =>
            {
                if (!AuditFilter.TryParse(name => request.Query[name].FirstOrDefault(), out var filter, out var error))
                {
                    return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
                }
                var fileName = $"audit-{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.csv";
                return Results.Stream(body => WriteAsync(body, dbFactory, filter, request.HttpContext.RequestAborted), "text/csv; charset=utf-8", fileName);
            })
            .RequireAuthorization(Roles.Admin);

    /// <summary>The header and one row per record of the filter, newest first, UTF-8 with a byte-order mark (for spreadsheets).</summary>
    public static async Task WriteAsync(Stream body, IDbContextFactory<AppDbContext> dbFactory, AuditFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(Csv.Row(Columns));
        var written = 0;
        await foreach (var record in AuditQueries.StreamAsync(db, filter, BatchSize, cancellationToken))
        {
            await writer.WriteAsync(Csv.Row(Fields(record)));
            if (++written % BatchSize == 0) await writer.FlushAsync(cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
    }

    public static IEnumerable<string?> Fields(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return
        [
            record.Id.ToString(CultureInfo.InvariantCulture),
            record.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            record.UserId, record.UserName, record.Action, record.EntityType, record.EntityId, record.Before, record.After,
            record.PreviousHash, record.Hash,
        ];
    }
}
