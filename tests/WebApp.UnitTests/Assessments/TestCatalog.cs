using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;

namespace WebApp.UnitTests.Assessments;

/// <summary>
/// A small hand-built catalog in the catalog's shape: two profile items; Fairness (FN, may be low) with the risk areas
/// FN and CD; Reliability (RE, at least medium) with SC; Data Protection (DP, may be low) with PD. Every risk area has
/// one requirement per aspect (RI, CR, ME at stage 2, OA).
/// </summary>
internal static class TestCatalog
{
    public static readonly CatalogDefinition Definition = new(
        "test-catalog", "1.0", "Test catalog", "Structure after a test", "For unit tests",
        [new LifecycleStage(1, "Data", ""), new LifecycleStage(2, "Development", ""), new LifecycleStage(3, "Embedding", ""), new LifecycleStage(4, "Operation", "")],
        [new EvidenceKindDefinition("Do", "Documentation", ""), new EvidenceKindDefinition("Te", "Test report", ""), new EvidenceKindDefinition("Pr", "Process description", "")],
        [new CatalogItem("PF-T-FA-01", "What is the task?", "", "Functionality and context"), new CatalogItem("PF-T-ST-01", "Which model?", "", "Structure")],
        [
            Dimension("FN", "Fairness", ProtectionLevel.Low, Area("FN", "FN", "Fairness"), Area("FN", "CD", "Control of dynamics")),
            Dimension("RE", "Reliability", ProtectionLevel.Medium, Area("RE", "SC", "Reliability in standard cases")),
            Dimension("DP", "Data Protection", ProtectionLevel.Low, Area("DP", "PD", "Protection of personal data")),
        ],
        new CatalogItem("AT", "Cross-dimensional assessment", ""));

    private static DimensionDefinition Dimension(string code, string name, ProtectionLevel minimum, params RiskAreaDefinition[] areas) =>
        new(code, name, "", minimum, new CatalogItem($"{code}-P", $"Protection requirement of {name}", ""), areas,
            new CatalogItem($"{code}-S", $"Summary of {name}", ""));

    private static RiskAreaDefinition Area(string dimension, string code, string name)
    {
        var key = RiskAreaDefinition.KeyOf(dimension, code);
        return new RiskAreaDefinition(code, name, "",
        [
            new Requirement($"{key}-RI-01", Aspect.RI, "Risks and objectives", ""),
            new Requirement($"{key}-CR-01", Aspect.CR, "Criteria", ""),
            new Requirement($"{key}-ME-01", Aspect.ME, "Measures", "", Stage: 2, Evidence: ["Te"]),
            new Requirement($"{key}-OA", Aspect.OA, "Overall assessment", ""),
        ]);
    }
}
