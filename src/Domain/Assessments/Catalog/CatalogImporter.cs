using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain.Auditing;

namespace WebApp.Domain.Assessments.Catalog;

/// <summary>The outcome of an import: the stored catalog version, and whether this call stored it or found it already there.</summary>
public sealed record CatalogImportResult(AssessmentCatalog Catalog, bool Imported);

/// <summary>
/// Imports catalog definition files: validated in full first, then stored with an audit record in one transaction.
/// A catalog version is identified by its key and version; its content never changes once imported.
/// </summary>
public sealed class CatalogImporter(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, TimeProvider clock)
{
    // Any constant: serialises imports, so web instances starting together import the built-in catalog once, without failing.
    private const long ImportLockKey = 0x434154414C4F47; // "CATALOG"

    /// <summary>
    /// Stores the catalog the file defines. Importing the same file again is a no-op that returns the stored version;
    /// a different file under a key and version already imported is refused, since assessments refer to that content.
    /// </summary>
    /// <exception cref="CatalogValidationException">The file is invalid, or its version exists with other content; nothing was stored.</exception>
    public async Task<CatalogImportResult> ImportAsync(byte[] file, AuditActor actor, bool builtIn, CancellationToken ct = default)
    {
        var definition = CatalogParser.Parse(file);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ImportLockKey})", ct);
        var existing = await db.AssessmentCatalogs.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Key == definition.Key && c.Version == definition.Version, ct);
        if (existing is not null)
        {
            if (existing.Sha256 == sha256) return new CatalogImportResult(existing, Imported: false);
            throw new CatalogValidationException([$"Version {definition.Version} of catalog '{definition.Key}' is already imported with "
                + "different content; give the changed catalog a new version."]);
        }

        var catalog = new AssessmentCatalog
        {
            Key = definition.Key,
            Version = definition.Version,
            Title = definition.Title,
            Definition = JsonSerializer.Serialize(definition, CatalogJson.Options),
            Sha256 = sha256,
            IsBuiltIn = builtIn,
            ImportedAt = clock.GetUtcNow().UtcDateTime,
            ImportedByName = actor.Name,
        };
        db.AssessmentCatalogs.Add(catalog);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, actor, "assessments.catalog-imported", nameof(AssessmentCatalog),
            catalog.Id.ToString(CultureInfo.InvariantCulture), null,
            new
            {
                catalog.Key,
                catalog.Version,
                catalog.Title,
                catalog.Sha256,
                catalog.IsBuiltIn,
                Dimensions = definition.Dimensions.Count,
                RiskAreas = definition.Dimensions.Sum(d => d.RiskAreas.Count),
                Requirements = definition.Dimensions.Sum(d => d.RiskAreas.Sum(a => a.Requirements.Count)),
            }, ct);
        await transaction.CommitAsync(ct);
        return new CatalogImportResult(catalog, Imported: true);
    }

    /// <summary>Imports the catalog shipped with the application; a no-op when its version is already there.</summary>
    public Task<CatalogImportResult> ImportBuiltInAsync(CancellationToken ct = default) =>
        ImportAsync(BuiltInCatalog.Read(), AuditActor.System("catalog"), builtIn: true, ct);
}
