using System.Runtime.CompilerServices;
using WebApp.Domain.Assessments.Catalog;

namespace WebApp.Web.Assessments;

/// <summary>Where an item code sits in the catalog, which decides the fields its answer may carry.</summary>
public enum CatalogItemKind { Profile, Protection, Requirement, Summary, CrossDimensional }

/// <summary>One item of a catalog: its kind, its dimension and risk area (when it has them), and its requirement.</summary>
public sealed record CatalogItemInfo(
    string Code,
    CatalogItemKind Kind,
    DimensionDefinition? Dimension,
    string? RiskAreaKey,
    Requirement? Requirement);

/// <summary>
/// The item codes of a catalog version looked up by code: what the service checks every edit against. Built once per
/// parsed definition (a catalog version never changes).
/// </summary>
public sealed class CatalogItemIndex
{
    private static readonly ConditionalWeakTable<CatalogDefinition, CatalogItemIndex> Cache = [];

    private readonly Dictionary<string, CatalogItemInfo> _items = new(StringComparer.Ordinal);
    private readonly HashSet<string> _riskAreaKeys = new(StringComparer.Ordinal);

    private CatalogItemIndex(CatalogDefinition definition)
    {
        foreach (var item in definition.Profile) _items[item.Id] = new CatalogItemInfo(item.Id, CatalogItemKind.Profile, null, null, null);
        foreach (var dimension in definition.Dimensions)
        {
            _items[dimension.Protection.Id] = new CatalogItemInfo(dimension.Protection.Id, CatalogItemKind.Protection, dimension, null, null);
            _items[dimension.Summary.Id] = new CatalogItemInfo(dimension.Summary.Id, CatalogItemKind.Summary, dimension, null, null);
            foreach (var area in dimension.RiskAreas)
            {
                var key = RiskAreaDefinition.KeyOf(dimension.Code, area.Code);
                _riskAreaKeys.Add(key);
                foreach (var requirement in area.Requirements)
                {
                    _items[requirement.Id] = new CatalogItemInfo(requirement.Id, CatalogItemKind.Requirement, dimension, key, requirement);
                }
            }
        }
        var cross = definition.CrossDimensional.Id;
        _items[cross] = new CatalogItemInfo(cross, CatalogItemKind.CrossDimensional, null, null, null);
        EvidenceKinds = definition.EvidenceKinds.Select(k => k.Code).ToHashSet(StringComparer.Ordinal);
        Stages = definition.Stages.Select(s => s.Number).ToHashSet();
        DimensionCodes = definition.Dimensions.Select(d => d.Code).ToHashSet(StringComparer.Ordinal);
    }

    public static CatalogItemIndex Of(CatalogDefinition definition) => Cache.GetValue(definition, d => new CatalogItemIndex(d));

    public IReadOnlySet<string> RiskAreaKeys => _riskAreaKeys;
    public IReadOnlySet<string> EvidenceKinds { get; }
    public IReadOnlySet<int> Stages { get; }
    public IReadOnlySet<string> DimensionCodes { get; }

    public CatalogItemInfo? Find(string code) => _items.GetValueOrDefault(code);

    public bool Contains(string code) => _items.ContainsKey(code);

    /// <summary>The dimension an item belongs to (null for profile items and the cross-dimensional assessment).</summary>
    public string? DimensionOf(string code) => Find(code)?.Dimension?.Code;
}
