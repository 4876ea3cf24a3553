using System.Text.Json;

namespace WebApp.Web.Assessments;

/// <summary>One field of an audited change: its value before and after (null when absent or empty).</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>
/// Reads an audit record's before/after JSON as the fields that changed, so an item's history says "justification:
/// … → …" instead of two JSON documents. Values that are not JSON objects are compared as a whole.
/// </summary>
public static class AuditChange
{
    public static IReadOnlyList<FieldChange> Fields(string? before, string? after)
    {
        var old = Parse(before);
        var @new = Parse(after);
        if ((before is not null && old is null) || (after is not null && @new is null))
        {
            return before == after ? [] : [new FieldChange("", Empty(before), Empty(after))];
        }
        var names = (old?.Keys ?? Enumerable.Empty<string>()).Concat(@new?.Keys ?? Enumerable.Empty<string>()).Distinct(StringComparer.Ordinal);
        return names
            .Select(name => new FieldChange(name, Empty(old?.GetValueOrDefault(name)), Empty(@new?.GetValueOrDefault(name))))
            .Where(change => change.Before != change.After)
            .ToList();
    }

    /// <summary>The object's properties as display text (strings unquoted, arrays comma-separated); null when it is not an object.</summary>
    private static Dictionary<string, string>? Parse(string? json)
    {
        if (json is null) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => Text(p.Value), StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null => "",
        JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind is JsonValueKind.String or JsonValueKind.Number) =>
            string.Join(", ", value.EnumerateArray().Select(Text)),
        _ => value.GetRawText(),
    };

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
