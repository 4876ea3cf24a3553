using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Auditing;
using WebApp.Testing;

namespace WebApp.IntegrationTests.Assessments;

public sealed class CatalogImporterTests : IAsyncLifetime
{
    private static readonly AuditActor Admin = new("admin-1", "admin@example.org");
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private CatalogImporter Importer => new(_database.CreateFactory(), new AuditTrail(TimeProvider.System), TimeProvider.System);

    private Task<long> CatalogRowsAsync() => _database.ScalarAsync<long>("SELECT count(*) FROM \"AssessmentCatalogs\"");

    private Task<long> ImportRecordsAsync() =>
        _database.ScalarAsync<long>("SELECT count(*) FROM \"AuditRecords\" WHERE \"Action\" = 'assessments.catalog-imported'");

    private static byte[] BuiltInWith(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(BuiltInCatalog.Read())!.AsObject();
        change(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    [Fact]
    public async Task Importing_the_same_file_twice_stores_one_catalog_with_one_audit_record()
    {
        var first = await Importer.ImportAsync(BuiltInCatalog.Read(), Admin, builtIn: true);
        var second = await Importer.ImportAsync(BuiltInCatalog.Read(), Admin, builtIn: true);

        Assert.True(first.Imported);
        Assert.False(second.Imported);
        Assert.Equal(first.Catalog.Id, second.Catalog.Id);
        Assert.Equal(1, await CatalogRowsAsync());
        Assert.Equal(1, await ImportRecordsAsync());
        await using var db = _database.CreateContext();
        var stored = await db.AssessmentCatalogs.SingleAsync();
        Assert.Equal(("trustworthy-ai", "1.0", true, Admin.Name), (stored.Key, stored.Version, stored.IsBuiltIn, stored.ImportedByName));
        Assert.Equal(64, stored.Sha256.Length);
        var definition = await new CatalogStore(_database.CreateFactory()).GetAsync(stored.Id);
        Assert.Equal(19, definition.Dimensions.Sum(d => d.RiskAreas.Count));
    }

    [Fact]
    public async Task Concurrent_imports_of_the_same_file_store_it_once_and_none_fails()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Importer.ImportBuiltInAsync())));

        Assert.Single(results, r => r.Imported);
        Assert.Single(results.Select(r => r.Catalog.Id).Distinct());
        Assert.Equal(1, await CatalogRowsAsync());
    }

    [Fact]
    public async Task Changed_content_under_an_imported_version_is_refused_and_nothing_is_written()
    {
        await Importer.ImportBuiltInAsync();
        var changed = BuiltInWith(root => root["title"] = "A changed title");

        var refused = await Assert.ThrowsAsync<CatalogValidationException>(() => Importer.ImportAsync(changed, Admin, builtIn: false));

        Assert.Equal(
            ["Version 1.0 of catalog 'trustworthy-ai' is already imported with different content; give the changed catalog a new version."],
            refused.Errors);
        Assert.Equal(1, await CatalogRowsAsync());
        Assert.Equal(1, await ImportRecordsAsync());
        Assert.Equal("AI trustworthiness assessment catalog", await _database.ScalarAsync<string>("SELECT \"Title\" FROM \"AssessmentCatalogs\""));
    }

    [Fact]
    public async Task A_new_version_is_stored_beside_the_earlier_one()
    {
        var first = await Importer.ImportBuiltInAsync();
        var file = BuiltInWith(root =>
        {
            root["version"] = "1.1";
            root["dimensions"]![0]!["riskAreas"]![0]!["requirements"]![0]!["text"] = "A reworded first requirement.";
        });

        var second = await Importer.ImportAsync(file, Admin, builtIn: false);

        Assert.True(second.Imported);
        Assert.NotEqual(first.Catalog.Id, second.Catalog.Id);
        Assert.Equal(("1.1", false), (second.Catalog.Version, second.Catalog.IsBuiltIn));
        Assert.Equal(2, await CatalogRowsAsync());
        var definition = await new CatalogStore(_database.CreateFactory()).GetAsync(second.Catalog.Id);
        Assert.Equal("A reworded first requirement.", definition.Dimensions[0].RiskAreas[0].Requirements[0].Text);
    }

    [Fact]
    public async Task A_malformed_catalog_is_refused_with_its_reasons_and_nothing_is_written()
    {
        var file = BuiltInWith(root =>
        {
            root["version"] = "2.0";
            root["dimensions"]![3]!["minimumProtection"] = "Extreme";
            root["dimensions"]![4]!["riskAreas"]![0]!["requirements"]![4]!["stage"] = 7;
        });

        var refused = await Assert.ThrowsAsync<CatalogValidationException>(() => Importer.ImportAsync(file, Admin, builtIn: false));

        Assert.Equal(2, refused.Errors.Count);
        Assert.Contains("'minimumProtection' must be Low, Medium or High, not 'Extreme'", refused.Errors[0], StringComparison.Ordinal);
        Assert.Contains("stage 7 is not one of the catalog's life-cycle stages", refused.Errors[1], StringComparison.Ordinal);
        Assert.Equal(0, await CatalogRowsAsync());
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM \"AuditRecords\""));
    }

    [Fact]
    public async Task The_stored_definition_is_the_validated_one_in_the_catalog_json_format()
    {
        var result = await Importer.ImportBuiltInAsync();

        var json = await _database.ScalarAsync<string>($"SELECT \"Definition\"::text FROM \"AssessmentCatalogs\" WHERE \"Id\" = {result.Catalog.Id}");

        var stored = JsonSerializer.Deserialize<CatalogDefinition>(json!, CatalogJson.Options)!;
        var parsed = CatalogParser.Parse(BuiltInCatalog.Read());
        Assert.Equal(JsonSerializer.Serialize(parsed, CatalogJson.Options).Length, JsonSerializer.Serialize(stored, CatalogJson.Options).Length);
        Assert.Equal(parsed.Credit, stored.Credit);
    }
}
