namespace WebApp.Domain.RelationExtraction;

public class Document
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    /// <summary>The id the document had in its source file, if any.</summary>
    public string? ExternalId { get; set; }
    public string Title { get; set; } = "";
    /// <summary>The import job run that created it.</summary>
    public Guid? ImportRunId { get; set; }
}

public class Sentence
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    public long DocumentId { get; set; }
    /// <summary>Position in its document.</summary>
    public int Index { get; set; }
    public string[] Tokens { get; set; } = [];
}

/// <summary>An entity found in a sentence: tokens [Start, End).</summary>
public class EntityMention
{
    public long Id { get; set; }
    public long SentenceId { get; set; }
    public long EntityId { get; set; }
    public int Start { get; set; }
    public int End { get; set; }
}

/// <summary>Where a bag's sentences go: held-out evaluation needs whole entity pairs kept apart.</summary>
public enum DataSplit
{
    Train,
    Dev,
    Test,
}

/// <summary>All candidates of one ordered entity pair; distant supervision labels the bag.</summary>
public class Bag
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    public long HeadEntityId { get; set; }
    public long TailEntityId { get; set; }
    public DataSplit Split { get; set; }
    public int CandidateCount { get; set; }
}

/// <summary>A relation the knowledge base gives a bag's pair; a pair without facts has one NA label.</summary>
public class DistantLabel
{
    public long BagId { get; set; }
    public int RelationTypeId { get; set; }
}

/// <summary>One sentence with a head and a tail mention: what the model classifies and an expert labels.</summary>
public class Candidate
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    public long SentenceId { get; set; }
    public long HeadMentionId { get; set; }
    public long TailMentionId { get; set; }
    public long BagId { get; set; }
    /// <summary>The id the candidate had in its source file, if any.</summary>
    public string? ExternalId { get; set; }
}

/// <summary>
/// A dataset's own label for a candidate, kept apart: it is used for evaluation and the simulated expert,
/// and never reaches training unless an expert label puts it there.
/// </summary>
public class GoldLabel
{
    public long CandidateId { get; set; }
    public int RelationTypeId { get; set; }
}
