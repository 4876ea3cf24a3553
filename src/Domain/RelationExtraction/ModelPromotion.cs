using System.Globalization;

namespace WebApp.Domain.RelationExtraction;

/// <summary>What the worker decided about a version whose run asked for it to be used.</summary>
public static class PromotionOutcomes
{
    /// <summary>It became the project's active version.</summary>
    public const string Promoted = "promoted";
    /// <summary>It was worse than the active version by more than the tolerance: it stays a candidate.</summary>
    public const string Kept = "kept-candidate";
}

/// <summary>
/// A model measured on the project's held-out data as it is now: gold sentence F1 (null where the test split has
/// no gold) and held-out AUC against the knowledge base.
/// </summary>
public sealed record HeldOutMeasure(double? GoldF1, double HeldOutAuc);

/// <summary>The decision and its reason, in words a person reads on the models page and in the registry.</summary>
public sealed record PromotionDecision(bool Promote, string Measure, double? Candidate, double? Active, string Reason)
{
    public string Outcome => Promote ? PromotionOutcomes.Promoted : PromotionOutcomes.Kept;
}

/// <summary>
/// The rule that keeps the loop from making the model worse: a new version replaces the active one only when it is
/// not worse on the project's held-out measure — gold F1 where the test split has gold, else held-out AUC —
/// by more than the project's tolerance. Both are measured on the same data (the worker re-scores the active
/// model on the candidate's evaluation data), so a changed test split cannot flatter either.
/// </summary>
public static class ModelPromotion
{
    public const string GoldF1 = "gold F1";
    public const string HeldOutAuc = "held-out AUC";

    /// <param name="candidate">The new version's measure.</param>
    /// <param name="active">The active version's measure on the same data; null when there is no active version.</param>
    /// <param name="activeNumber">The active version's number, for the reason.</param>
    /// <param name="tolerance">How much worse the candidate may be (≥ 0).</param>
    public static PromotionDecision Decide(HeldOutMeasure candidate, HeldOutMeasure? active, int? activeNumber, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        if (active is null)
        {
            return new PromotionDecision(true, candidate.GoldF1 is null ? HeldOutAuc : GoldF1, Value(candidate), null,
                "the project had no active version");
        }
        var useGold = candidate.GoldF1 is not null && active.GoldF1 is not null;
        var measure = useGold ? GoldF1 : HeldOutAuc;
        var mine = useGold ? candidate.GoldF1!.Value : candidate.HeldOutAuc;
        var theirs = useGold ? active.GoldF1!.Value : active.HeldOutAuc;
        var versus = activeNumber is { } n ? $"active v{n.ToString(CultureInfo.InvariantCulture)}" : "the active version";
        var promote = double.IsFinite(mine) && mine >= theirs - tolerance;
        var reason = promote
            ? string.Create(CultureInfo.InvariantCulture, $"{measure} {mine:F3} is not worse than {versus}'s {theirs:F3} (tolerance {tolerance:F3})")
            : string.Create(CultureInfo.InvariantCulture, $"{measure} {mine:F3} is worse than {versus}'s {theirs:F3} by {theirs - mine:F3}, more than the tolerance {tolerance:F3}");
        return new PromotionDecision(promote, measure, mine, theirs, reason);
    }

    private static double Value(HeldOutMeasure m) => m.GoldF1 ?? m.HeldOutAuc;

    public static IEnumerable<string> ValidateTolerance(double tolerance)
    {
        if (double.IsNaN(tolerance) || tolerance is < 0 or > 1) yield return "The promotion tolerance must be between 0 and 1.";
    }
}
