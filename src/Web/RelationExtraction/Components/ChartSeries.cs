using WebApp.Domain.RelationExtraction;

namespace WebApp.Web.RelationExtraction.Components;

public readonly record struct ChartPoint(double X, double Y);

/// <summary>A named line for <see cref="LineChart"/>.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);

/// <summary>A named precision–recall curve for <see cref="PrCurveChart"/>.</summary>
public sealed record PrCurve(string Name, IReadOnlyList<PrPoint> Points);

/// <summary>One bar of <see cref="BarChart"/>.</summary>
public sealed record BarItem(string Label, double Value, string? Color = null, string? Title = null);
