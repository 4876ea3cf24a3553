using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.Assessments.Catalog;

/// <summary>Reads catalog definitions, each parsed once: an imported catalog version never changes.</summary>
public sealed class CatalogStore(IDbContextFactory<AppDbContext> dbFactory)
{
    private readonly ConcurrentDictionary<int, CatalogDefinition> _definitions = new();

    public async Task<CatalogDefinition> GetAsync(int catalogId, CancellationToken ct = default)
    {
        if (_definitions.TryGetValue(catalogId, out var cached)) return cached;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var json = await db.AssessmentCatalogs.AsNoTracking().Where(c => c.Id == catalogId).Select(c => c.Definition)
            .SingleOrDefaultAsync(ct) ?? throw new KeyNotFoundException($"No catalog {catalogId}.");
        var definition = JsonSerializer.Deserialize<CatalogDefinition>(json, CatalogJson.Options)
            ?? throw new InvalidDataException($"Catalog {catalogId} has an empty definition.");
        return _definitions.GetOrAdd(catalogId, definition);
    }
}
