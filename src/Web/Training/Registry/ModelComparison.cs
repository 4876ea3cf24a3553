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
        var snapshot = Settings(Flatten(a.Version.DataSnapshot, []), Flatten(b.Version.DataSnapshot, []));
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

    private static List<SettingDifference> Settings(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
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
