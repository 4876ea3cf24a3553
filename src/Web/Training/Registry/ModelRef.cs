using System.Globalization;

namespace WebApp.Web.Training.Registry;

public enum ModelKind { Relation, Novelty }

/// <summary>
/// A registry entry's identity as pages and URLs write it: <c>relation:12</c> (a relation model version) or
/// <c>novelty:5</c> (a novelty model set, whose models are its parts).
/// </summary>
public readonly record struct ModelRef(ModelKind Kind, int Id)
{
    public static string KindName(ModelKind kind) => kind == ModelKind.Relation ? "relation" : "novelty";

    public static bool TryParseKind(string? text, out ModelKind kind)
    {
        kind = ModelKind.Relation;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "relation": return true;
            case "novelty": kind = ModelKind.Novelty; return true;
            default: return false;
        }
    }

    public static bool TryParse(string? text, out ModelRef model)
    {
        model = default;
        var parts = text?.Split(':', 2);
        if (parts is not [var kindText, var idText] || !TryParseKind(kindText, out var kind)
            || !int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return false;
        model = new ModelRef(kind, id);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{KindName(Kind)}:{Id}");
}
