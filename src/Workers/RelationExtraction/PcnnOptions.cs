using System.Text.Json.Serialization;

namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// PCNN hyperparameters. Architecture defaults are OpenNRE's (word 50, position 2 × 5, window 3, 230 filters,
/// dropout 0.5, batch 160 bags). The optimiser default is Adam with learning rate 1e-3, not OpenNRE's SGD 0.1:
/// on the small sets this application trains on, SGD had not converged after 30 epochs and ended below Adam
/// (see the spec's measurements and docs/benchmarks.md).
/// </summary>
public sealed record PcnnOptions
{
    public int WordDim { get; init; } = 50;
    public int PositionDim { get; init; } = 5;

    /// <summary>Longer sentences are cut to a window of this many tokens around the two entities.</summary>
    public int MaxLength { get; init; } = 128;

    /// <summary>Relative positions are clipped to ±this; null means <see cref="MaxLength"/>.</summary>
    public int? MaxPositionDistance { get; init; }

    public int Window { get; init; } = 3;
    public int Filters { get; init; } = 230;
    public double Dropout { get; init; } = 0.5;

    [JsonConverter(typeof(JsonStringEnumConverter<BagAggregation>))]
    public BagAggregation Aggregation { get; init; } = BagAggregation.Att;

    [JsonConverter(typeof(JsonStringEnumConverter<PcnnOptimizer>))]
    public PcnnOptimizer Optimizer { get; init; } = PcnnOptimizer.Adam;

    /// <summary>Null: 0.1 for SGD, 1e-3 for Adam.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Null: 1e-5 for SGD (OpenNRE), 0 for Adam.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Bags per training batch.</summary>
    public int BatchSize { get; init; } = 160;

    /// <summary>Sentences per batch when scoring.</summary>
    public int ScoringBatchSize { get; init; } = 512;

    public int Epochs { get; init; } = 20;

    /// <summary>Stop after this many epochs without a better dev AUC; 0 turns early stopping off.</summary>
    public int Patience { get; init; } = 5;

    public int Seed { get; init; } = 42;

    /// <summary>Training words seen fewer times are unknown (unless the word vectors have them).</summary>
    public int MinWordCount { get; init; } = 1;

    /// <summary>At most this many words (PAD and UNK included), the most frequent first.</summary>
    public int MaxVocabulary { get; init; } = 100_000;

    /// <summary>Optional word vectors in word2vec text format; their dimension replaces <see cref="WordDim"/>.</summary>
    public string? Word2VecPath { get; init; }

    [JsonIgnore]
    public int EffectiveMaxPositionDistance => MaxPositionDistance ?? MaxLength;

    [JsonIgnore]
    public double EffectiveLearningRate => LearningRate ?? (Optimizer == PcnnOptimizer.Sgd ? 0.1 : 1e-3);

    [JsonIgnore]
    public double EffectiveWeightDecay => WeightDecay ?? (Optimizer == PcnnOptimizer.Sgd ? 1e-5 : 0);

    /// <summary>Every problem with these options, as a sentence; empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (WordDim is < 1 or > 1024) yield return $"Word dimension must be 1–1024 (got {WordDim}).";
        if (PositionDim is < 1 or > 128) yield return $"Position dimension must be 1–128 (got {PositionDim}).";
        if (MaxLength is < 3 or > 1024) yield return $"Max length must be 3–1024 tokens (got {MaxLength}).";
        if (MaxPositionDistance is < 1) yield return $"Max position distance must be at least 1 (got {MaxPositionDistance}).";
        if (Window < 1 || Window % 2 == 0) yield return $"Window must be an odd number ≥ 1 (got {Window}).";
        if (Filters is < 1 or > 4096) yield return $"Filters must be 1–4096 (got {Filters}).";
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) yield return $"Dropout must be in [0, 1) (got {Dropout}).";
        if (!Enum.IsDefined(Aggregation)) yield return $"Unknown aggregation {Aggregation}.";
        if (!Enum.IsDefined(Optimizer)) yield return $"Unknown optimizer {Optimizer}.";
        if (LearningRate is { } lr && !(lr > 0 && lr <= 10)) yield return $"Learning rate must be in (0, 10] (got {lr}).";
        if (WeightDecay is { } wd && !(wd >= 0 && wd < 1)) yield return $"Weight decay must be in [0, 1) (got {wd}).";
        if (BatchSize is < 1 or > 100_000) yield return $"Batch size must be 1–100000 bags (got {BatchSize}).";
        if (ScoringBatchSize is < 1 or > 100_000) yield return $"Scoring batch size must be 1–100000 (got {ScoringBatchSize}).";
        if (Epochs is < 1 or > 10_000) yield return $"Epochs must be 1–10000 (got {Epochs}).";
        if (Patience < 0) yield return $"Patience must be ≥ 0 (got {Patience}).";
        if (MinWordCount < 1) yield return $"Minimum word count must be ≥ 1 (got {MinWordCount}).";
        if (MaxVocabulary < 3) yield return $"Vocabulary cap must be ≥ 3 (got {MaxVocabulary}).";
        if (Word2VecPath is { } path && !File.Exists(path)) yield return $"Word vector file '{path}' does not exist.";
    }
}
