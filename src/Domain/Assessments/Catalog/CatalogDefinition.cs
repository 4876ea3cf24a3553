using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebApp.Domain.Assessments.Catalog;

/// <summary>
/// An assessment catalog as its definition file describes it (camelCase JSON, <see cref="CatalogJson.Options"/>).
/// The built-in one models the structure and identifiers of the Fraunhofer IAIS AI Assessment Catalog; its texts are
/// our own words. A catalog version is immutable once imported: assessments refer to its item identifiers.
/// </summary>
public sealed record CatalogDefinition(
    string Key,
    string Version,
    string Title,
    /// <summary>Whose structure this follows, shown in the UI and the report.</summary>
    string Credit,
    string Description,
    IReadOnlyList<LifecycleStage> Stages,
    IReadOnlyList<EvidenceKindDefinition> EvidenceKinds,
    /// <summary>The AI profile (PF-…): what the application is, asked before the dimensions.</summary>
    IReadOnlyList<CatalogItem> Profile,
    IReadOnlyList<DimensionDefinition> Dimensions,
    /// <summary>The cross-dimensional assessment (AT).</summary>
    CatalogItem CrossDimensional)
{
    public DimensionDefinition Dimension(string code) =>
        Dimensions.FirstOrDefault(d => d.Code == code) ?? throw new KeyNotFoundException($"No dimension '{code}' in the catalog.");
}

/// <summary>A life-cycle stage of the measures (1 data, 2 development of the AI component, 3 embedding, 4 operation).</summary>
public sealed record LifecycleStage(int Number, string Name, string Description);

/// <summary>A kind of evidence a measure is backed by: Do (documentation), Te (test report), Pr (process description).</summary>
public sealed record EvidenceKindDefinition(string Code, string Name, string Description);

/// <summary>A question of the catalog that is not inside a risk area (profile, protection requirement, summary, AT).</summary>
public sealed record CatalogItem(
    string Id,
    string Text,
    /// <summary>Guidance shown next to the item: what a good answer contains.</summary>
    string Help,
    /// <summary>For profile items: the group heading (e.g. "Functionality and context").</summary>
    string? Group = null);

public sealed record DimensionDefinition(
    string Code,
    string Name,
    string Description,
    /// <summary>The lowest protection requirement allowed (Reliability: medium — it is never low).</summary>
    ProtectionLevel MinimumProtection,
    /// <summary>The protection requirement analysis (e.g. FN-P).</summary>
    CatalogItem Protection,
    IReadOnlyList<RiskAreaDefinition> RiskAreas,
    /// <summary>The summary of the dimension (e.g. FN-S): residual risk and effects on other dimensions.</summary>
    CatalogItem Summary);

public sealed record RiskAreaDefinition(
    string Code,
    string Name,
    string Description,
    IReadOnlyList<Requirement> Requirements)
{
    /// <summary>The risk area's identifier prefix inside its dimension, e.g. "FN-R-CD" (risk areas such as CD recur).</summary>
    public static string KeyOf(string dimensionCode, string riskAreaCode) => $"{dimensionCode}-R-{riskAreaCode}";
}

/// <summary>A requirement of a risk area, e.g. FN-R-FN-CR-02.</summary>
public sealed record Requirement(
    string Id,
    Aspect Aspect,
    string Text,
    string Help,
    /// <summary>Measures (ME) only: the life-cycle stage number the measure belongs to.</summary>
    int? Stage = null,
    /// <summary>Measures (ME) only: the evidence kinds expected (codes of <see cref="CatalogDefinition.EvidenceKinds"/>).</summary>
    IReadOnlyList<string>? Evidence = null);

/// <summary>The aspects of a risk area, in the order the procedure walks them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Aspect>))]
public enum Aspect
{
    /// <summary>Risk analysis and objectives.</summary>
    RI,
    /// <summary>Criteria: KPIs with target intervals.</summary>
    CR,
    /// <summary>Measures along the life cycle, with evidence.</summary>
    ME,
    /// <summary>Overall assessment of the risk area.</summary>
    OA,
}

public static class CatalogJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };
}
