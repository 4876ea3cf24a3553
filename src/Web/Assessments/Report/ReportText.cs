using System.Globalization;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Assessments.Rules;

namespace WebApp.Web.Assessments.Report;

/// <summary>How the report writes values, intervals and enumerations for people.</summary>
public static class ReportText
{
    public static string Number(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "—";

    /// <summary>"[0.8, 0.9]", "≥ 0.8", "≤ 0.05", with the unit when there is one.</summary>
    public static string Interval(double? min, double? max, string unit)
    {
        var interval = (min, max) switch
        {
            ({ } lo, { } hi) => $"[{Number(lo)}, {Number(hi)}]",
            ({ } lo, null) => $"≥ {Number(lo)}",
            (null, { } hi) => $"≤ {Number(hi)}",
            _ => "none",
        };
        return string.IsNullOrWhiteSpace(unit) || (min is null && max is null) ? interval : $"{interval} {unit}";
    }

    public static string Time(DateTime value) => value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Aspect(Aspect aspect) => aspect switch
    {
        Domain.Assessments.Catalog.Aspect.RI => "Risk analysis and objectives",
        Domain.Assessments.Catalog.Aspect.CR => "Criteria",
        Domain.Assessments.Catalog.Aspect.ME => "Measures",
        _ => "Overall assessment",
    };

    public static string Outcome(CriterionOutcome outcome) => outcome switch
    {
        CriterionOutcome.Pass => "pass",
        CriterionOutcome.Fail => "FAIL",
        _ => "no value",
    };

    public static string Fulfilment(Fulfilment? fulfilment) => fulfilment switch
    {
        Domain.Assessments.Fulfilment.Met => "met",
        Domain.Assessments.Fulfilment.PartlyMet => "partly met",
        Domain.Assessments.Fulfilment.NotMet => "not met",
        _ => "—",
    };

    public static string Verdict(Verdict verdict) => verdict switch
    {
        Domain.Assessments.Verdict.Trustworthy => "Trustworthy",
        Domain.Assessments.Verdict.TrustworthyWithAcceptedRisk => "Trustworthy with accepted residual risk",
        Domain.Assessments.Verdict.NotTrustworthy => "Not trustworthy",
        _ => "Incomplete",
    };

    public static string Status(AssessmentStatus status) => status switch
    {
        AssessmentStatus.Draft => "draft",
        AssessmentStatus.InReview => "in review",
        AssessmentStatus.ChangesRequested => "changes requested",
        AssessmentStatus.AuditorSignedOff => "signed off by the auditor",
        AssessmentStatus.Closed => "closed",
        _ => "superseded",
    };

    public static string SignOffScope(string scope, IEnumerable<ExportDimension> dimensions) => scope switch
    {
        AssessmentSignOff.Overall => "Overall (auditor)",
        AssessmentSignOff.Authority => "Accountable authority",
        _ => dimensions.FirstOrDefault(d => d.Code == scope) is { } d ? $"{d.Name} ({d.Code})" : scope,
    };
}
