namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// What the model makes of one sentence: the probability per relation, the sentence representation
/// (3 × filters, the input of diversity-aware active learning) and, per original token, how many of the
/// 3 × filters piecewise max-pooling slots it won with a positive value (tokens cut off by the length limit: 0),
/// and its segment (1–3; 0 when cut off).
/// </summary>
public sealed record SentenceAnalysis(float[] Probabilities, float[] Representation, int[] PoolingWins, int[] Segments);
