using System.Globalization;

namespace WebApp.Workers.RelationExtraction.Import;

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

/// <summary>What one import read and wrote (the job's metrics).</summary>
public sealed class ImportCounts
{
    public long Lines { get; set; }
    public long Documents { get; set; }
    public long Sentences { get; set; }
    public long Mentions { get; set; }
    public long Candidates { get; set; }
    public long Bags { get; set; }
    public long Entities { get; set; }
    public long Aliases { get; set; }
    public long Facts { get; set; }
    public long RelationTypes { get; set; }
    public long GoldLabels { get; set; }
    /// <summary>Rows that repeated something already there (facts, aliases, sentences, mentions).</summary>
    public long SkippedDuplicates { get; set; }
    /// <summary>Wall-clock seconds from the start of the transaction to just before the commit.</summary>
    public double Seconds { get; set; }
}
