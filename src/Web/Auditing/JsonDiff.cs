using System.Text.Json;

namespace WebApp.Web.Auditing;

public enum JsonChangeKind { Added, Removed, Changed }

/// <summary>One difference between two JSON documents: where (<c>a.b[2]</c>), what, and the values as compact JSON.</summary>
public sealed record JsonChange(string Path, JsonChangeKind Kind, string? Before, string? After);

/// <summary>Field-level differences between an audit record's before and after, and their pretty-printed form.</summary>
public static class JsonDiff
{
    // Audit records are stored with the serializer's default escaping ("PCNN\u002BATT"); a person reads them unescaped.
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Objects are compared key by key and arrays element by element, down to the values that differ; a missing
    /// document (a creation or a deletion) counts as an empty object, so each of the other side's keys is listed.
    /// </summary>
    public static IReadOnlyList<JsonChange> Compare(string? before, string? after)
    {
        using var beforeDocument = Parse(before);
        using var afterDocument = Parse(after);
        var changes = new List<JsonChange>();
        Compare("", beforeDocument.RootElement, afterDocument.RootElement, changes);
        return changes;
    }

    /// <summary>The document indented, or null for none.</summary>
    public static string? Pretty(string? json)
    {
        if (json is null) return null;
        using var document = JsonDocument.Parse(json);
        return Write(document.RootElement, Indented);
    }

    /// <summary>A value as compact JSON, escaped only where JSON requires it.</summary>
    private static string Text(JsonElement element) => Write(element, Compact);

    private static string Write(JsonElement element, JsonWriterOptions options)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options)) element.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonDocument Parse(string? json) => JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);

    private static void Compare(string path, JsonElement before, JsonElement after, List<JsonChange> changes)
    {
        if (before.ValueKind == JsonValueKind.Object && after.ValueKind == JsonValueKind.Object)
        {
            var afterProperties = after.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            var beforeNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in before.EnumerateObject())
            {
                beforeNames.Add(property.Name);
                var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                if (afterProperties.TryGetValue(property.Name, out var afterValue)) Compare(childPath, property.Value, afterValue, changes);
                else changes.Add(new JsonChange(childPath, JsonChangeKind.Removed, Text(property.Value), null));
            }
            foreach (var property in after.EnumerateObject().Where(p => !beforeNames.Contains(p.Name)))
            {
                changes.Add(new JsonChange(path.Length == 0 ? property.Name : $"{path}.{property.Name}", JsonChangeKind.Added, null, Text(property.Value)));
            }
        }
        else if (before.ValueKind == JsonValueKind.Array && after.ValueKind == JsonValueKind.Array)
        {
            var beforeItems = before.EnumerateArray().ToList();
            var afterItems = after.EnumerateArray().ToList();
            for (var i = 0; i < Math.Max(beforeItems.Count, afterItems.Count); i++)
            {
                var childPath = $"{path}[{i}]";
                if (i >= afterItems.Count) changes.Add(new JsonChange(childPath, JsonChangeKind.Removed, Text(beforeItems[i]), null));
                else if (i >= beforeItems.Count) changes.Add(new JsonChange(childPath, JsonChangeKind.Added, null, Text(afterItems[i])));
                else Compare(childPath, beforeItems[i], afterItems[i], changes);
            }
        }
        else if (!JsonElement.DeepEquals(before, after))
        {
            changes.Add(new JsonChange(path.Length == 0 ? "(document)" : path, JsonChangeKind.Changed, Text(before), Text(after)));
        }
    }
}
