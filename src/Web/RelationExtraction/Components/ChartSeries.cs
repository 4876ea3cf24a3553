using WebApp.Domain.RelationExtraction;

namespace WebApp.Web.RelationExtraction.Components;

public readonly record struct ChartPoint(double X, double Y);

/// <summary>
/// A named line for <see cref="LineChart"/>; with <see cref="Lower"/> and <see cref="Upper"/> (same x as the points)
/// a shaded band around it, e.g. the spread over seeds.
/// </summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points, IReadOnlyList<ChartPoint>? Lower = null,
    IReadOnlyList<ChartPoint>? Upper = null);

/// <summary>A named precision–recall curve for <see cref="PrCurveChart"/>.</summary>
public sealed record PrCurve(string Name, IReadOnlyList<PrPoint> Points);

/// <summary>One bar of <see cref="BarChart"/>.</summary>
public sealed record BarItem(string Label, double Value, string? Color = null, string? Title = null);
