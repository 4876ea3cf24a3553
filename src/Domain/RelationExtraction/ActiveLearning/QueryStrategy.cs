using System.Text.Json.Serialization;

namespace WebApp.Domain.RelationExtraction.ActiveLearning;

/// <summary>How the next items for the expert are chosen from the unlabelled pool.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<QueryStrategy>))]
public enum QueryStrategy
{
    /// <summary>Uniformly at random (seeded): the baseline every learning curve is compared with.</summary>
    Random,

    /// <summary>Largest 1 − max p first.</summary>
    LeastConfidence,

    /// <summary>Smallest margin between the best and the second-best probability first (INCEpTION's choice).</summary>
    Margin,

    /// <summary>Largest entropy −Σ p ln p first.</summary>
    Entropy,

    /// <summary>
    /// Uncertain and unlike each other: among the <see cref="QueryStrategies.DiversePoolFactor"/> × batch items with the
    /// smallest margins, k-center greedy on the representations (first the smallest margin, then repeatedly the item
    /// farthest, by Euclidean distance, from those already chosen).
    /// </summary>
    DiverseMargin,
}

/// <summary>One unlabelled item: its id, the model's probabilities over relations, and optionally its representation.</summary>
public sealed record PoolItem(long Id, float[] Probabilities, float[]? Representation = null);
