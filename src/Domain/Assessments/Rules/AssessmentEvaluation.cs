using WebApp.Domain.Assessments.Catalog;

namespace WebApp.Domain.Assessments.Rules;

/// <summary>What the rules are evaluated on: an assessment's answers (by item code), criteria and measures.</summary>
public sealed record AssessmentState(
    IReadOnlyDictionary<string, AssessmentAnswer> Answers,
    IReadOnlyList<AssessmentCriterion> Criteria,
    IReadOnlyList<AssessmentMeasure> Measures)
{
    public static readonly AssessmentState Empty = new(new Dictionary<string, AssessmentAnswer>(), [], []);

    public AssessmentAnswer? Answer(string itemCode) => Answers.GetValueOrDefault(itemCode);
}

/// <summary>Whether a dimension's or risk area's questions are asked.</summary>
public enum Applicability
{
    /// <summary>The dimension's protection requirement is not (validly) rated yet.</summary>
    NotRated,
    Applicable,
    /// <summary>The dimension's protection requirement is low: its risk areas are skipped (shown as n/a).</summary>
    NotApplicable,
}

public sealed record Progress(int Done, int Required)
{
    public double Fraction => Required == 0 ? 1 : (double)Done / Required;
    public bool IsComplete => Done >= Required;

    public static Progress Sum(IEnumerable<Progress> parts)
    {
        int done = 0, required = 0;
        foreach (var part in parts)
        {
            done += part.Done;
            required += part.Required;
        }
        return new Progress(done, required);
    }
}

/// <summary>One item's state: whether it is asked, whether its answer is complete, and what is wrong with it.</summary>
public sealed record ItemStatus(string Code, bool Complete, string? Problem);

public sealed record RiskAreaEvaluation(
    string Key,
    RiskAreaDefinition Definition,
    Applicability Applicability,
    IReadOnlyList<ItemStatus> Items,
    Progress Progress);

public sealed record DimensionEvaluation(
    DimensionDefinition Definition,
    ProtectionLevel? Protection,
    Applicability Applicability,
    ItemStatus ProtectionItem,
    IReadOnlyList<RiskAreaEvaluation> RiskAreas,
    /// <summary>Null while not applicable (low) or not rated.</summary>
    ItemStatus? SummaryItem,
    ResidualRisk? ResidualRisk,
    Progress Progress,
    /// <summary>Non-blocking observations, e.g. a negligible residual risk although criteria are not met.</summary>
    IReadOnlyList<string> Warnings);

public sealed record VerdictResult(Verdict Verdict, IReadOnlyList<string> Reasons);

/// <summary>
/// One row of the progress overview: the AI profile, a dimension, or the cross-dimensional trade-off. The overall
/// progress is the sum of exactly these parts, so the rows shown always add up to the overall figure.
/// </summary>
public sealed record ProgressPart(string Code, string Name, Progress Progress, Applicability Applicability);

public sealed record AssessmentEvaluation(
    IReadOnlyList<ItemStatus> Profile,
    Progress ProfileProgress,
    IReadOnlyList<DimensionEvaluation> Dimensions,
    /// <summary>The AT item: asked only when some residual risk is non-negligible but acceptable (trade-off).</summary>
    ItemStatus? CrossDimensionalItem,
    /// <summary>Profile, every dimension and AT together: what sign-off requires to be complete.</summary>
    Progress Overall,
    VerdictResult Verdict,
    /// <summary>What <see cref="Overall"/> sums: the profile, every dimension, and AT when it is asked.</summary>
    IReadOnlyList<ProgressPart> Parts)
{
    public DimensionEvaluation Dimension(string code) => Dimensions.First(d => d.Definition.Code == code);
}

/// <summary>A criterion's value against its target interval.</summary>
public enum CriterionOutcome { NoValue, Pass, Fail }
