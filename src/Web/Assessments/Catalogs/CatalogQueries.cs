using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Assessments.Catalog;

namespace WebApp.Web.Assessments.Catalogs;

/// <summary>An imported catalog version as the catalog list shows it.</summary>
public sealed record CatalogSummary(
    int Id, string Key, string Version, string Title, bool IsBuiltIn, DateTime ImportedAt, string ImportedByName,
    int Dimensions, int RiskAreas, int Requirements);

public sealed class CatalogQueries(IDbContextFactory<AppDbContext> dbFactory, CatalogStore store)
{
    /// <summary>Every imported catalog version, grouped by key, newest version first.</summary>
    public async Task<IReadOnlyList<CatalogSummary>> ListAsync(CancellationToken ct = default)
    {
        List<AssessmentCatalog> rows;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            rows = await db.AssessmentCatalogs.AsNoTracking()
                .OrderBy(c => c.Key).ThenByDescending(c => c.ImportedAt).ThenByDescending(c => c.Id)
                .Select(c => new AssessmentCatalog
                {
                    Id = c.Id,
                    Key = c.Key,
                    Version = c.Version,
                    Title = c.Title,
                    IsBuiltIn = c.IsBuiltIn,
                    ImportedAt = c.ImportedAt,
                    ImportedByName = c.ImportedByName,
                })
                .ToListAsync(ct);
        }
        var summaries = new List<CatalogSummary>(rows.Count);
        foreach (var row in rows)
        {
            var definition = await store.GetAsync(row.Id, ct);
            var areas = definition.Dimensions.SelectMany(d => d.RiskAreas).ToList();
            summaries.Add(new CatalogSummary(row.Id, row.Key, row.Version, row.Title, row.IsBuiltIn, row.ImportedAt, row.ImportedByName,
                definition.Dimensions.Count, areas.Count, areas.Sum(a => a.Requirements.Count)));
        }
        return summaries;
    }

    /// <summary>The stored row of one catalog version (without its definition), or null.</summary>
    public async Task<AssessmentCatalog?> FindAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AssessmentCatalogs.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new AssessmentCatalog
            {
                Id = c.Id,
                Key = c.Key,
                Version = c.Version,
                Title = c.Title,
                Sha256 = c.Sha256,
                IsBuiltIn = c.IsBuiltIn,
                ImportedAt = c.ImportedAt,
                ImportedByName = c.ImportedByName,
            })
            .SingleOrDefaultAsync(ct);
    }
}
