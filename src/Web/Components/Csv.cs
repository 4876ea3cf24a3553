namespace WebApp.Web.Components;

/// <summary>RFC 4180 CSV: fields separated by commas, rows ended by CRLF.</summary>
public static class Csv
{
    public const string RowEnd = "\r\n";

    /// <summary>A field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
    }

    /// <summary>One row, each field quoted as needed (null as empty), CRLF included.</summary>
    public static string Row(IEnumerable<string?> fields) => string.Join(',', fields.Select(f => Quote(f ?? ""))) + RowEnd;
}
