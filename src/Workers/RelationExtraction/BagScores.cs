namespace WebApp.Workers.RelationExtraction;

/// <summary>One entity pair's probability per relation (index 0 is NA), from the bag aggregation at test time.</summary>
public sealed record BagScores(string BagKey, float[] Probabilities);
