namespace WebApp.Workers.RelationExtraction;

/// <summary>How the sentences of one entity pair (a bag) are combined (Lin et al., 2016).</summary>
public enum BagAggregation
{
    /// <summary>The bag's highest-scoring sentence (at test: the maximum over sentences per relation).</summary>
    One,

    /// <summary>The mean of the sentence representations.</summary>
    Avg,

    /// <summary>Selective attention with the relation's classifier row as query.</summary>
    Att,
}
