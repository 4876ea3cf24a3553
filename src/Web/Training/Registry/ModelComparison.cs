using System.Globalization;
using System.Text.Json;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Web.Components;
using WebApp.Web.RelationExtraction;
using WebApp.Web.RelationExtraction.Components;

namespace WebApp.Web.Training.Registry;

/// <summary>A setting (hyperparameter or data-snapshot entry) of two versions as text; absent on one side is null.</summary>
public sealed record SettingDifference(string Key, string? A, string? B)
{
    public bool Differs => !string.Equals(A, B, StringComparison.Ordinal);
}

/// <summary>Two versions of one kind side by side: metrics with differences, settings and data, and their curves on one chart.</summary>
public sealed record ModelComparison(
    ModelKind Kind, string NameA, string NameB, IReadOnlyList<MetricDifference> Metrics, IReadOnlyList<SettingDifference> Hyperparameters,
    IReadOnlyList<SettingDifference> DataSnapshot, string CurveTitle, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Curves)
{
    public static ModelComparison Of(RelationModelDetail a, RelationModelDetail b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (ea, eb) = (a.Evaluation, b.Evaluation);
        var (nameA, nameB) = (Name(a), Name(b));
        if (nameA == nameB) (nameA, nameB) = ($"{nameA} (A)", $"{nameB} (B)");
        var metrics = CompareModels.MetricRows(a.Version, ea, b.Version, eb);
        var hyperparameters = Settings(
            Flatten(a.Version.Hyperparameters, new() { ["architecture"] = a.Version.Architecture, ["device"] = a.Version.Device }),
            Flatten(b.Version.Hyperparameters, new() { ["architecture"] = b.Version.Architecture, ["device"] = b.Version.Device }));
        var snapshot = Settings(NamedDataSnapshot(a), NamedDataSnapshot(b));
        ChartSeries Curve(string name, RelationModelDetail detail) =>
            new(name, (detail.Evaluation?.HeldOut.Curve ?? []).Select(p => new ChartPoint(p.Recall, p.Precision)).ToList());
        return new ModelComparison(ModelKind.Relation, nameA, nameB, metrics, hyperparameters, snapshot,
            "Held-out precision–recall", "Recall", "Precision", [Curve(nameA, a), Curve(nameB, b)]);
    }

    public static ModelComparison Of(NoveltyModelDetail a, NoveltyModelDetail b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (oa, ob) = (a.Evaluation?.Overall.All, b.Evaluation?.Overall.All);
        var (nameA, nameB) = (Name(a), Name(b));
        if (nameA == nameB) (nameA, nameB) = ($"{nameA} (A)", $"{nameB} (B)");
        MetricDifference[] metrics =
        [
            new("Overall ROC-AUC", oa?.RocAuc, ob?.RocAuc, true),
            new("Overall PR-AUC", oa?.PrAuc, ob?.PrAuc, true),
            new("Overall F1", oa?.F1, ob?.F1, true),
            new("Overall precision", oa?.Precision, ob?.Precision, true),
            new("Overall recall", oa?.Recall, ob?.Recall, true),
            new("Overall false-positive rate", oa?.FalsePositiveRate, ob?.FalsePositiveRate, false),
            new("Global model ROC-AUC", a.Evaluation?.Global.All.RocAuc, b.Evaluation?.Global.All.RocAuc, true),
            new("Global model F1", a.Evaluation?.Global.All.F1, b.Evaluation?.Global.All.F1, true),
            new("Training seconds (all models)", a.Models.Sum(m => m.Model.TrainingSeconds), b.Models.Sum(m => m.Model.TrainingSeconds), false),
            new("Size (bytes, all models)", a.Models.Sum(m => m.SizeBytes), b.Models.Sum(m => m.SizeBytes), false),
        ];
        var hyperparameters = Settings(NoveltySettings(a), NoveltySettings(b));
        var snapshot = Settings(NoveltyData(a), NoveltyData(b));
        ChartSeries Curve(string name, NoveltyModelDetail detail) =>
            new(name, (detail.Evaluation?.Overall.All.Roc ?? []).Where(p => p.Length == 2).Select(p => new ChartPoint(p[0], p[1])).ToList());
        return new ModelComparison(ModelKind.Novelty, nameA, nameB, metrics, hyperparameters, snapshot,
            "Overall ROC on the labelled test part", "false-positive rate", "true-positive rate", [Curve(nameA, a), Curve(nameB, b)]);
    }

    private static string Name(RelationModelDetail detail) => string.Create(CultureInfo.InvariantCulture, $"{detail.ProjectName} v{detail.Version.Number}");

    private static string Name(NoveltyModelDetail detail) => $"{detail.DatasetName} · {detail.Set.Name}";

    private static Dictionary<string, string> NoveltySettings(NoveltyModelDetail detail)
    {
        var settings = Flatten(detail.Set.Parameters, new()
        {
            ["targetFalsePositiveRate"] = detail.Set.TargetFalsePositiveRate.ToString("0.####", CultureInfo.InvariantCulture),
        });
        foreach (var part in detail.Models)
        {
            foreach (var (key, value) in Flatten(part.Model.Hyperparameters, [])) settings[$"{part.Name}.{key}"] = value;
            settings[$"{part.Name}.threshold"] = part.Model.Threshold?.ToString("0.####", CultureInfo.InvariantCulture) ?? "–";
            settings[$"{part.Name}.device"] = part.Model.Device;
        }
        return settings;
    }

    private static Dictionary<string, string> NoveltyData(NoveltyModelDetail detail)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dataset"] = detail.DatasetName,
            ["clustering"] = detail.ClusteringName,
            ["testSequences"] = detail.Evaluation?.TestSequences.ToString(CultureInfo.InvariantCulture) ?? "–",
        };
        foreach (var part in detail.Models)
        {
            data[$"{part.Name}.trainSequences"] = part.Model.TrainSequences.ToString(CultureInfo.InvariantCulture);
            data[$"{part.Name}.validationSequences"] = part.Model.ValidationSequences.ToString(CultureInfo.InvariantCulture);
        }
        return data;
    }

    /// <summary>
    /// A relation version's data snapshot, flattened; its examples per relation (a list in the model's relation order) are
    /// named by relation (<c>trainPerRelation.capital of (P36)</c>), so two versions compare relation by relation, as a
    /// person reads them.
    /// </summary>
    public static Dictionary<string, string> NamedDataSnapshot(RelationModelDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var flat = Flatten(detail.Version.DataSnapshot, []);
        for (var i = 0; flat.TryGetValue($"trainPerRelation[{i}].relation", out var key); i++)
        {
            flat.Remove($"trainPerRelation[{i}].relation");
            if (!flat.Remove($"trainPerRelation[{i}].examples", out var examples)) continue;
            var label = detail.RelationNames.TryGetValue(key, out var name) && name != key ? $"{name} ({key})" : key;
            flat[$"trainPerRelation.{label}"] = examples;
        }
        return flat;
    }

    /// <summary>Settings in natural order: <c>x[2]</c> before <c>x[10]</c>, "cluster 9" before "cluster 10".</summary>
    public static IEnumerable<string> NaturalOrder(IEnumerable<string> keys) => keys.Order(NaturalComparer.Instance);

    private static List<SettingDifference> Settings(Dictionary<string, string> a, Dictionary<string, string> b) =>
        NaturalOrder(a.Keys.Union(b.Keys))
            .Select(key => new SettingDifference(key, a.GetValueOrDefault(key), b.GetValueOrDefault(key))).ToList();

    /// <summary>
    /// A JSON document's leaves by path (<c>a.b[2]</c>), values as compact JSON text (strings unquoted), plus
    /// <paramref name="extra"/>; a document that does not parse is one entry "(document)".
    /// </summary>
    public static Dictionary<string, string> Flatten(string? json, Dictionary<string, string> extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        var result = new Dictionary<string, string>(extra, StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return result;
        try
        {
            using var document = JsonDocument.Parse(json);
            Flatten("", document.RootElement, result);
        }
        catch (JsonException)
        {
            result["(document)"] = json;
        }
        return result;
    }

    private static void Flatten(string path, JsonElement element, Dictionary<string, string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) Flatten(path.Length == 0 ? property.Name : $"{path}.{property.Name}", property.Value, into);
                break;
            case JsonValueKind.Array when element.GetArrayLength() > 0 && element.EnumerateArray().Any(e => e.ValueKind is JsonValueKind.Object or JsonValueKind.Array):
                var index = 0;
                foreach (var item in element.EnumerateArray()) Flatten($"{path}[{index++}]", item, into);
                break;
            case JsonValueKind.String:
                into[path.Length == 0 ? "(value)" : path] = element.GetString() ?? "";
                break;
            default:
                into[path.Length == 0 ? "(value)" : path] = element.GetRawText();
                break;
        }
    }
}

/// <summary>Compares strings by runs: digit runs by their number, the rest ordinally.</summary>
public sealed class NaturalComparer : IComparer<string>
{
    public static readonly NaturalComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var (si, sj) = (i, j);
                while (i < x.Length && char.IsAsciiDigit(x[i])) i++;
                while (j < y.Length && char.IsAsciiDigit(y[j])) j++;
                var (a, b) = (x[si..i].TrimStart('0'), y[sj..j].TrimStart('0'));
                var byNumber = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
                if (byNumber != 0) return byNumber;
                continue;
            }
            var byChar = x[i].CompareTo(y[j]);
            if (byChar != 0) return byChar;
            i++;
            j++;
        }
        var byLength = (x.Length - i).CompareTo(y.Length - j);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }
}
