using MudBlazor;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Assessments.Rules;

namespace WebApp.Web.Assessments;

/// <summary>How the assessment pages name and colour statuses, verdicts and ratings, so every page says the same.</summary>
public static class AssessmentUi
{
    public const string Credit = "Structure and identifiers after the Fraunhofer IAIS AI Assessment Catalog (Guideline for Trustworthy AI, 2023, arXiv 2307.03681).";

    public static string Describe(AssessmentStatus status) => status switch
    {
        AssessmentStatus.Draft => "Draft",
        AssessmentStatus.InReview => "In review",
        AssessmentStatus.ChangesRequested => "Changes requested",
        AssessmentStatus.AuditorSignedOff => "Signed off by auditor",
        AssessmentStatus.Closed => "Closed",
        _ => "Superseded",
    };

    public static Color ColorOf(AssessmentStatus status) => status switch
    {
        AssessmentStatus.Draft => Color.Default,
        AssessmentStatus.InReview => Color.Info,
        AssessmentStatus.ChangesRequested => Color.Warning,
        AssessmentStatus.AuditorSignedOff => Color.Primary,
        AssessmentStatus.Closed => Color.Success,
        _ => Color.Dark,
    };

    public static string Describe(Verdict verdict) => verdict switch
    {
        Verdict.Incomplete => "Incomplete",
        Verdict.Trustworthy => "Trustworthy",
        Verdict.TrustworthyWithAcceptedRisk => "Trustworthy with accepted risk",
        _ => "Not trustworthy",
    };

    public static Color ColorOf(Verdict verdict) => verdict switch
    {
        Verdict.Incomplete => Color.Default,
        Verdict.Trustworthy => Color.Success,
        Verdict.TrustworthyWithAcceptedRisk => Color.Warning,
        _ => Color.Error,
    };

    public static string Describe(Fulfilment fulfilment) => fulfilment switch
    {
        Fulfilment.Met => "met",
        Fulfilment.PartlyMet => "partly met",
        _ => "not met",
    };

    public static Color ColorOf(ResidualRisk risk) => risk switch
    {
        ResidualRisk.Negligible => Color.Success,
        ResidualRisk.Acceptable => Color.Warning,
        _ => Color.Error,
    };

    public static Color ColorOf(ProtectionLevel level) => level switch
    {
        ProtectionLevel.Low => Color.Default,
        ProtectionLevel.Medium => Color.Info,
        _ => Color.Secondary,
    };

    public static string Describe(Applicability applicability) => applicability switch
    {
        Applicability.NotRated => "protection requirement not rated yet",
        Applicability.NotApplicable => "n/a — low protection requirement",
        _ => "applicable",
    };

    public static string Describe(Aspect aspect) => aspect switch
    {
        Aspect.RI => "Risks and objectives",
        Aspect.CR => "Criteria",
        Aspect.ME => "Measures",
        _ => "Overall assessment",
    };

    public static string Percent(Progress progress) =>
        (100 * progress.Fraction).ToString("0", System.Globalization.CultureInfo.CurrentCulture) + " %";

    /// <summary>The version label users see, e.g. "cycle 2 · v1".</summary>
    public static string Label(Assessment assessment) =>
        $"cycle {assessment.Cycle.ToString(System.Globalization.CultureInfo.InvariantCulture)} · v{assessment.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
