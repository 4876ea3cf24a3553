using System.Security.Claims;
using System.Text.Json;
using WebApp.Domain;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Identity;

namespace WebApp.IntegrationTests.Assessments;

/// <summary>
/// A compact catalog for service tests: two profile items; Fairness (FN, may be low) with one risk area; Reliability
/// (RE, at least medium) with two risk areas; Data Protection (DP, may be low) with one; the AT item.
/// </summary>
public static class TestCatalog
{
    public static CatalogDefinition Definition(string key, string version, bool withFairnessRisks = true) => new(
        key, version, "Test catalog", "Structure after the Fraunhofer IAIS AI Assessment Catalog (test copy)", "For tests.",
        [new(1, "Data", ""), new(2, "Development", ""), new(3, "Embedding", ""), new(4, "Operation", "")],
        [new("Do", "Documentation", ""), new("Te", "Test report", ""), new("Pr", "Process description", "")],
        [new("PF-T-FA-01", "What does the application do?", "", "Functionality"), new("PF-T-ST-01", "Which model?", "", "Structure")],
        [
            new("FN", "Fairness", "", ProtectionLevel.Low, Item("FN-P"),
                [new("FN", "Fairness", "", (withFairnessRisks ? [new Requirement("FN-R-FN-RI-01", Aspect.RI, "Risks", "")] : Array.Empty<Requirement>())
                    .Concat([
                        new Requirement("FN-R-FN-CR-01", Aspect.CR, "Criteria", ""),
                        new Requirement("FN-R-FN-OA", Aspect.OA, "Overall", ""),
                    ]).ToList())],
                Item("FN-S")),
            new("RE", "Reliability", "", ProtectionLevel.Medium, Item("RE-P"),
                [
                    new("SC", "Standard cases", "",
                    [
                        new("RE-R-SC-RI-01", Aspect.RI, "Risks", ""),
                        new("RE-R-SC-CR-01", Aspect.CR, "Criteria", ""),
                        new("RE-R-SC-ME-01", Aspect.ME, "Measures", "", 2, ["Te"]),
                        new("RE-R-SC-OA", Aspect.OA, "Overall", ""),
                    ]),
                    new("RO", "Robustness", "",
                    [
                        new("RE-R-RO-RI-01", Aspect.RI, "Risks", ""),
                        new("RE-R-RO-OA", Aspect.OA, "Overall", ""),
                    ]),
                ],
                Item("RE-S")),
            new("DP", "Data Protection", "", ProtectionLevel.Low, Item("DP-P"),
                [new("PD", "Personal data", "", [new("DP-R-PD-RI-01", Aspect.RI, "Risks", ""), new("DP-R-PD-OA", Aspect.OA, "Overall", "")])],
                Item("DP-S")),
        ],
        Item("AT"));

    private static CatalogItem Item(string id) => new(id, $"Question {id}", $"Help for {id}");

    public static async Task<int> InsertAsync(AppDbContext db, CatalogDefinition definition)
    {
        var row = new AssessmentCatalog
        {
            Key = definition.Key,
            Version = definition.Version,
            Title = definition.Title,
            Definition = JsonSerializer.Serialize(definition, CatalogJson.Options),
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray())),
            ImportedAt = DateTime.UtcNow,
            ImportedByName = "test",
        };
        db.AssessmentCatalogs.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }
}

/// <summary>Signed-in users of the assessment roles, as the pages hand them to the service.</summary>
public static class Users
{
    public static readonly ClaimsPrincipal Assessee = Principal("user-sam", "Sam Assessee", Roles.Assessee);
    public static readonly ClaimsPrincipal OtherAssessee = Principal("user-kim", "Kim Assessee", Roles.Assessee);
    public static readonly ClaimsPrincipal Auditor = Principal("user-alex", "Alex Auditor", Roles.Auditor);
    public static readonly ClaimsPrincipal Authority = Principal("user-ada", "Ada Authority", Roles.AccountableAuthority);
    /// <summary>Both assessee and auditor: may fill, but then not sign off the same assessment.</summary>
    public static readonly ClaimsPrincipal Dual = Principal("user-dee", "Dee Both", Roles.Assessee, Roles.Auditor);

    public static ClaimsPrincipal Principal(string id, string name, params string[] roles) =>
        new(new ClaimsIdentity(
            new[] { new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, name) }
                .Concat(roles.Select(r => new Claim(ClaimTypes.Role, r))),
            "test"));
}
