using System.Globalization;

namespace WebApp.Workers.Import;

/// <summary>
/// Bad input: the file, the line (when there is one) and the reason, e.g.
/// "kb.tsv line 17: expected 5 tab-separated fields, found 4". Retrying cannot fix it.
/// </summary>
public sealed class ImportException : Exception
{
    public ImportException() : base("The import file is invalid.") { }

    public ImportException(string message) : base(message) { }

    public ImportException(string message, Exception innerException) : base(message, innerException) { }

    public ImportException(string fileName, long? line, string reason, Exception? innerException = null)
        : base(Format(fileName, line, reason), innerException)
    {
        FileName = fileName;
        Line = line;
        Reason = reason;
    }

    public string FileName { get; } = "";

    /// <summary>1-based line number, or null when the error is about the file as a whole.</summary>
    public long? Line { get; }

    public string Reason { get; } = "";

    private static string Format(string fileName, long? line, string reason) => line is { } number
        ? string.Create(CultureInfo.InvariantCulture, $"{fileName} line {number}: {reason}")
        : $"{fileName}: {reason}";
}
