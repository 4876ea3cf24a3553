namespace WebApp.Workers.RelationExtraction.Import;

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
