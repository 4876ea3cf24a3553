namespace WebApp.Web.Components;

/// <summary>A metric of two versions; the difference is B − A, and whether a rise is an improvement.</summary>
public sealed record MetricDifference(string Name, double? A, double? B, bool HigherIsBetter)
{
    public double? Difference => A is { } a && B is { } b ? b - a : null;

    /// <summary>True when B is better than A, false when worse, null when equal or not comparable.</summary>
    public bool? Improved => Difference is not { } d || Math.Abs(d) < 1e-12 ? null : HigherIsBetter ? d > 0 : d < 0;
}
