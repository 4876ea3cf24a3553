using WebApp.Domain.Assessments;

namespace WebApp.Web.Assessments;

public static class AnswerEdits
{
    /// <summary>An edit that keeps every field of the loaded answer, with its row version: callers change only what their form edits.</summary>
    public static AnswerEdit From(string itemCode, AssessmentAnswer? loaded) => new(
        itemCode,
        loaded?.RowVersion,
        loaded?.Text,
        loaded?.Protection,
        loaded?.Justification,
        loaded?.Fulfilment,
        loaded?.ResidualRisk,
        loaded?.AffectedDimensions);
}
