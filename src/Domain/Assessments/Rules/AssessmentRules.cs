using WebApp.Domain.Assessments.Catalog;

namespace WebApp.Domain.Assessments.Rules;

/// <summary>
/// The catalog's procedure as rules: protection requirement per dimension (justified, never below the dimension's
/// minimum), low dimensions skip their risk areas, what each item needs to be complete, and the cross-dimensional
/// verdict computed from the residual risks (never typed).
/// </summary>
public static class AssessmentRules
{
    /// <summary>Why a protection rating is not allowed; empty when it is.</summary>
    public static IReadOnlyList<string> ProtectionProblems(DimensionDefinition dimension, ProtectionLevel? level, string? justification)
    {
        var problems = new List<string>();
        if (level is null) return problems;
        if (level < dimension.MinimumProtection)
        {
            problems.Add($"{dimension.Name} cannot be {Describe(level.Value)}: its protection requirement is at least {Describe(dimension.MinimumProtection)}.");
        }
        if (string.IsNullOrWhiteSpace(justification))
        {
            problems.Add($"Justify the protection requirement of {dimension.Name}.");
        }
        return problems;
    }

    public static AssessmentEvaluation Evaluate(CatalogDefinition catalog, AssessmentState state)
    {
        var profile = catalog.Profile
            .Select(item => new ItemStatus(item.Id, HasText(state.Answer(item.Id)?.Text), null))
            .ToList();
        var dimensions = catalog.Dimensions.Select(d => EvaluateDimension(d, state)).ToList();

        var tradeOffNeeded = dimensions.Any(d => d.Applicability == Applicability.Applicable && d.ResidualRisk == ResidualRisk.Acceptable);
        var crossDimensional = tradeOffNeeded
            ? new ItemStatus(catalog.CrossDimensional.Id, HasText(state.Answer(catalog.CrossDimensional.Id)?.Justification),
                HasText(state.Answer(catalog.CrossDimensional.Id)?.Justification) ? null
                    : "Non-negligible residual risk is accepted only with a justified trade-off.")
            : null;

        var profileProgress = new Progress(profile.Count(i => i.Complete), profile.Count);
        var parts = ProgressParts(profileProgress, dimensions, catalog.CrossDimensional.Id, crossDimensional);

        return new AssessmentEvaluation(profile, profileProgress, dimensions, crossDimensional, OverallProgress(parts),
            ComputeVerdict(catalog, profileProgress, dimensions, state), parts);
    }

    public const string ProfilePart = "PF";

    /// <summary>The rows of the progress overview, in catalog order: the profile, each dimension, AT when asked.</summary>
    public static IReadOnlyList<ProgressPart> ProgressParts(Progress profile, IEnumerable<DimensionEvaluation> dimensions,
        string crossDimensionalCode, ItemStatus? crossDimensional)
    {
        var parts = new List<ProgressPart> { new(ProfilePart, "AI profile", profile, Applicability.Applicable) };
        parts.AddRange(dimensions.Select(d => new ProgressPart(d.Definition.Code, d.Definition.Name, d.Progress, d.Applicability)));
        if (crossDimensional is not null)
        {
            parts.Add(new ProgressPart(crossDimensionalCode, "Cross-dimensional trade-off",
                new Progress(crossDimensional.Complete ? 1 : 0, 1), Applicability.Applicable));
        }
        return parts;
    }

    /// <summary>The overall progress is the sum of the parts the overview shows, never anything else.</summary>
    public static Progress OverallProgress(IEnumerable<ProgressPart> parts) => Progress.Sum(parts.Select(p => p.Progress));

    /// <summary>Pass when the value lies in the inclusive target interval (a missing bound is unbounded).</summary>
    public static CriterionOutcome Check(double? value, double? targetMin, double? targetMax)
    {
        if (value is null || double.IsNaN(value.Value)) return CriterionOutcome.NoValue;
        if (targetMin is { } min && value < min) return CriterionOutcome.Fail;
        if (targetMax is { } max && value > max) return CriterionOutcome.Fail;
        return CriterionOutcome.Pass;
    }

    /// <summary>
    /// The fulfilment a criterion's outcome suggests: met when the KPI passes its target, not met when it fails, none
    /// without a value. A suggestion only: the assessee confirms it by saving (it is never stored on its own).
    /// </summary>
    public static Fulfilment? SuggestedFulfilment(CriterionOutcome outcome) => outcome switch
    {
        CriterionOutcome.Pass => Fulfilment.Met,
        CriterionOutcome.Fail => Fulfilment.NotMet,
        _ => null,
    };

    /// <summary>Why a criterion is not complete; null when it is.</summary>
    public static string? CriterionProblem(AssessmentCriterion criterion)
    {
        if (string.IsNullOrWhiteSpace(criterion.Kpi)) return "Name the KPI.";
        if (criterion.TargetMin is null && criterion.TargetMax is null) return $"Give '{criterion.Kpi}' a target interval.";
        if (criterion.TargetMin > criterion.TargetMax) return $"The target interval of '{criterion.Kpi}' is empty (minimum above maximum).";
        if (string.IsNullOrWhiteSpace(criterion.Justification)) return $"Justify the target interval of '{criterion.Kpi}'.";
        if (criterion.MetricSource is not null && (criterion.MetricSourceId is null || string.IsNullOrWhiteSpace(criterion.MetricKey)))
        {
            return $"Choose the model and metric '{criterion.Kpi}' is bound to.";
        }
        return null;
    }

    /// <summary>Why a measure is not complete; null when it is.</summary>
    public static string? MeasureProblem(AssessmentMeasure measure)
    {
        if (!string.IsNullOrWhiteSpace(measure.ReferencedRiskArea)) return null;
        if (string.IsNullOrWhiteSpace(measure.Description)) return "Describe the measure, or point to the risk area whose measures cover it.";
        if (measure.EvidenceKinds.Length == 0) return "Say how the measure is evidenced (documentation, test report, process description).";
        return null;
    }

    private static DimensionEvaluation EvaluateDimension(DimensionDefinition dimension, AssessmentState state)
    {
        var answer = state.Answer(dimension.Protection.Id);
        var problems = ProtectionProblems(dimension, answer?.Protection, answer?.Justification);
        var protectionItem = new ItemStatus(dimension.Protection.Id, answer?.Protection is not null && problems.Count == 0,
            answer?.Protection is null || problems.Count == 0 ? null : problems[0]);
        var applicability = !protectionItem.Complete ? Applicability.NotRated
            : answer!.Protection == ProtectionLevel.Low ? Applicability.NotApplicable
            : Applicability.Applicable;

        var riskAreas = dimension.RiskAreas.Select(area => EvaluateRiskArea(dimension, area, applicability, state)).ToList();
        ItemStatus? summaryItem = null;
        ResidualRisk? residual = null;
        var warnings = new List<string>();
        if (applicability == Applicability.Applicable)
        {
            var summary = state.Answer(dimension.Summary.Id);
            residual = summary?.ResidualRisk;
            var summaryProblem = residual is null ? null
                : !HasText(summary!.Justification) ? $"Explain why the residual risk of {dimension.Name} is {Describe(residual.Value)}."
                : null;
            summaryItem = new ItemStatus(dimension.Summary.Id, residual is not null && summaryProblem is null, summaryProblem);
            if (residual == ResidualRisk.Negligible)
            {
                var unmet = riskAreas.Where(a => state.Answer(OverallCode(a.Definition, dimension))?.Fulfilment == Fulfilment.NotMet)
                    .Select(a => a.Definition.Name).ToList();
                if (unmet.Count > 0)
                {
                    warnings.Add($"The residual risk of {dimension.Name} is negligible although the criteria of {string.Join(", ", unmet)} are not met.");
                }
            }
        }

        // Not rated yet, the dimension may still turn out applicable: it counts everything it would ask then, so a
        // dimension rated nothing never looks nearly done (one item of one) and the overall figure does not overstate.
        var progress = applicability == Applicability.NotRated
            ? new Progress(0, 2 + dimension.RiskAreas.Sum(a => a.Requirements.Count))
            : Progress.Sum(riskAreas.Select(a => a.Progress).Append(
                new Progress((protectionItem.Complete ? 1 : 0) + (summaryItem?.Complete == true ? 1 : 0), 1 + (summaryItem is null ? 0 : 1))));
        return new DimensionEvaluation(dimension, protectionItem.Complete ? answer!.Protection : null, applicability, protectionItem,
            riskAreas, summaryItem, residual, progress, warnings);
    }

    private static RiskAreaEvaluation EvaluateRiskArea(DimensionDefinition dimension, RiskAreaDefinition area,
        Applicability dimensionApplicability, AssessmentState state)
    {
        var key = RiskAreaDefinition.KeyOf(dimension.Code, area.Code);
        if (dimensionApplicability != Applicability.Applicable)
        {
            return new RiskAreaEvaluation(key, area, dimensionApplicability, [], new Progress(0, 0));
        }
        var items = area.Requirements.Select(requirement => EvaluateRequirement(requirement, state)).ToList();
        return new RiskAreaEvaluation(key, area, Applicability.Applicable, items,
            new Progress(items.Count(i => i.Complete), items.Count));
    }

    private static ItemStatus EvaluateRequirement(Requirement requirement, AssessmentState state)
    {
        var answer = state.Answer(requirement.Id);
        switch (requirement.Aspect)
        {
            case Aspect.CR:
                {
                    var criteria = state.Criteria.Where(c => c.RequirementCode == requirement.Id).ToList();
                    if (criteria.Count == 0) return new ItemStatus(requirement.Id, HasText(answer?.Text), null);
                    var problem = criteria.Select(CriterionProblem).FirstOrDefault(p => p is not null);
                    return new ItemStatus(requirement.Id, problem is null, problem);
                }
            case Aspect.ME:
                {
                    var measures = state.Measures.Where(m => m.RequirementCode == requirement.Id).ToList();
                    if (measures.Count == 0) return new ItemStatus(requirement.Id, HasText(answer?.Text), null);
                    var problem = measures.Select(MeasureProblem).FirstOrDefault(p => p is not null);
                    return new ItemStatus(requirement.Id, problem is null, problem);
                }
            case Aspect.OA:
                {
                    if (answer?.Fulfilment is null) return new ItemStatus(requirement.Id, false, null);
                    var problem = answer.Fulfilment != Fulfilment.Met && !HasText(answer.Text)
                        ? "Record the discrepancies: which criteria are not or only partly met, and why."
                        : null;
                    return new ItemStatus(requirement.Id, problem is null, problem);
                }
            default:
                return new ItemStatus(requirement.Id, HasText(answer?.Text), null);
        }
    }

    // A verdict is given only on a finished assessment: residual risks classified while risk areas are still open
    // would make "trustworthy" appear before the criteria and measures behind it exist.
    private static VerdictResult ComputeVerdict(CatalogDefinition catalog, Progress profile, List<DimensionEvaluation> dimensions,
        AssessmentState state)
    {
        var open = new List<string>();
        if (!profile.IsComplete)
        {
            open.Add($"Complete the AI profile ({profile.Required - profile.Done} of {profile.Required} items open).");
        }
        foreach (var dimension in dimensions)
        {
            if (dimension.Applicability == Applicability.NotRated)
            {
                open.Add($"Rate the protection requirement of {dimension.Definition.Name} ({dimension.Definition.Protection.Id}).");
            }
            else if (dimension.Applicability == Applicability.Applicable && dimension.SummaryItem?.Complete != true)
            {
                open.Add($"Classify and explain the residual risk of {dimension.Definition.Name} ({dimension.Definition.Summary.Id}).");
            }
            var openItems = dimension.RiskAreas.SelectMany(a => a.Items).Where(i => !i.Complete).Select(i => i.Code).ToList();
            if (openItems.Count > 0)
            {
                open.Add($"Complete the risk areas of {dimension.Definition.Name}: {openItems.Count} item{(openItems.Count == 1 ? "" : "s")} open ({string.Join(", ", openItems.Take(3))}{(openItems.Count > 3 ? ", …" : "")}).");
            }
        }
        if (open.Count > 0) return new VerdictResult(Verdict.Incomplete, open);

        var applicable = dimensions.Where(d => d.Applicability == Applicability.Applicable).ToList();
        var unacceptable = applicable.Where(d => d.ResidualRisk == ResidualRisk.Unacceptable).Select(d => d.Definition.Name).ToList();
        if (unacceptable.Count > 0)
        {
            return new VerdictResult(Verdict.NotTrustworthy,
                [$"Unacceptable residual risk in {string.Join(", ", unacceptable)}: a dimension with medium or high protection requirement must not keep unacceptable risk."]);
        }
        var accepted = applicable.Where(d => d.ResidualRisk == ResidualRisk.Acceptable).Select(d => d.Definition.Name).ToList();
        if (accepted.Count > 0)
        {
            return HasText(state.Answer(catalog.CrossDimensional.Id)?.Justification)
                ? new VerdictResult(Verdict.TrustworthyWithAcceptedRisk,
                    [$"Non-negligible residual risk in {string.Join(", ", accepted)} is accepted with a justified trade-off ({catalog.CrossDimensional.Id})."])
                : new VerdictResult(Verdict.NotTrustworthy,
                    [$"Non-negligible residual risk in {string.Join(", ", accepted)} has no justified trade-off ({catalog.CrossDimensional.Id})."]);
        }
        var skipped = dimensions.Count - applicable.Count;
        return new VerdictResult(Verdict.Trustworthy,
            [skipped == 0
                ? "Every dimension's residual risk is negligible."
                : $"Every applicable dimension's residual risk is negligible ({skipped} with low protection requirement not examined)."]);
    }

    private static string OverallCode(RiskAreaDefinition area, DimensionDefinition dimension) =>
        area.Requirements.FirstOrDefault(r => r.Aspect == Aspect.OA)?.Id ?? $"{RiskAreaDefinition.KeyOf(dimension.Code, area.Code)}-OA";

    private static bool HasText(string? text) => !string.IsNullOrWhiteSpace(text);

    public static string Describe(ProtectionLevel level) => level switch
    {
        ProtectionLevel.Low => "low",
        ProtectionLevel.Medium => "medium",
        _ => "high",
    };

    public static string Describe(ResidualRisk risk) => risk switch
    {
        ResidualRisk.Negligible => "negligible",
        ResidualRisk.Acceptable => "non-negligible but acceptable",
        _ => "unacceptable",
    };
}
