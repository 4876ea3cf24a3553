namespace WebApp.Workers.RelationExtraction;

/// <summary>A point of the precision/recall curve: the top predictions down to <see cref="Threshold"/>.</summary>
public sealed record PrPoint(double Recall, double Precision, double Threshold);
