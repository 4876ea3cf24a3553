using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebApp.Workers.Import;

/// <summary>JSON syntax errors as an import error's reason.</summary>
public static partial class JsonErrors
{
    /// <summary>
    /// The parser's reason without its own position: it counts lines from 0 within what it was given (one line of a
    /// JSON lines file), so "LineNumber: 0" next to the file's "line 4" named the wrong line. The place on the line
    /// stays, 1-based.
    /// </summary>
    public static string LineReason(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var reason = Position().Replace(e.Message, "").TrimEnd();
        return e.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $"invalid JSON at byte {position + 1} of the line: {reason}")
            : $"invalid JSON: {reason}";
    }

    [GeneratedRegex(@"\s*(Path: \S* \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex Position();
}
