using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Rules;

namespace WebApp.UnitTests.Assessments;

public class AssessmentRulesTests
{
    private static readonly Domain.Assessments.Catalog.CatalogDefinition Catalog = TestCatalog.Definition;

    private static AssessmentAnswer Answer(string code, string? text = null, ProtectionLevel? protection = null, string? justification = null,
        Fulfilment? fulfilment = null, ResidualRisk? residual = null) =>
        new() { ItemCode = code, Text = text, Protection = protection, Justification = justification, Fulfilment = fulfilment, ResidualRisk = residual };

    private static AssessmentAnswer Rated(string dimension, ProtectionLevel level, string? justification = "Decisions affect people.") =>
        Answer($"{dimension}-P", protection: level, justification: justification);

    private static AssessmentAnswer Summary(string dimension, ResidualRisk residual, string? explanation = "The measures cover the risks.") =>
        Answer($"{dimension}-S", residual: residual, justification: explanation);

    private static AssessmentState State(IEnumerable<AssessmentAnswer> answers, IEnumerable<AssessmentCriterion>? criteria = null,
        IEnumerable<AssessmentMeasure>? measures = null) =>
        new(answers.ToDictionary(a => a.ItemCode), [.. criteria ?? []], [.. measures ?? []]);

    private static AssessmentEvaluation Evaluate(params AssessmentAnswer[] answers) => AssessmentRules.Evaluate(Catalog, State(answers));

    private static AssessmentCriterion Criterion(string requirement = "RE-R-SC-CR-01", string kpi = "Held-out F1", double? min = 0.8, double? max = null,
        string justification = "Below 0.8 the curators drown in false positives.") =>
        new() { RequirementCode = requirement, Kpi = kpi, TargetMin = min, TargetMax = max, Justification = justification };

    private static AssessmentMeasure Measure(string requirement = "RE-R-SC-ME-01", string description = "Held-out evaluation on every version",
        string[]? evidence = null, string? referenced = null) =>
        new() { RequirementCode = requirement, Stage = 2, Description = description, EvidenceKinds = evidence ?? ["Te"], ReferencedRiskArea = referenced };

    /// <summary>Every dimension rated (FN, DP at the given level, RE medium) and summarised, the profile and every requirement answered.</summary>
    private static List<AssessmentAnswer> Summarised(ResidualRisk fn = ResidualRisk.Negligible, ResidualRisk re = ResidualRisk.Negligible,
        ResidualRisk dp = ResidualRisk.Negligible, ProtectionLevel fnLevel = ProtectionLevel.Medium, ProtectionLevel dpLevel = ProtectionLevel.High) =>
        [Rated("FN", fnLevel), Summary("FN", fn), Rated("RE", ProtectionLevel.Medium), Summary("RE", re), Rated("DP", dpLevel), Summary("DP", dp),
            .. ProfileAndRequirementsAnswered()];

    private static IEnumerable<AssessmentAnswer> ProfileAndRequirementsAnswered() =>
        Catalog.Profile.Select(item => Answer(item.Id, text: "Answered."))
            .Concat(Catalog.Dimensions.SelectMany(d => d.RiskAreas).SelectMany(a => a.Requirements)
                .Select(r => r.Aspect == Domain.Assessments.Catalog.Aspect.OA
                    ? Answer(r.Id, fulfilment: Fulfilment.Met)
                    : Answer(r.Id, text: "Answered.")));

    // Protection requirement analysis (P)

    [Theory]
    [InlineData(ProtectionLevel.Low, Applicability.NotApplicable)]
    [InlineData(ProtectionLevel.Medium, Applicability.Applicable)]
    [InlineData(ProtectionLevel.High, Applicability.Applicable)]
    public void A_justified_protection_requirement_rates_the_dimension(ProtectionLevel level, Applicability expected)
    {
        var fairness = Evaluate(Rated("FN", level)).Dimension("FN");

        Assert.Equal(level, fairness.Protection);
        Assert.Equal(expected, fairness.Applicability);
        Assert.True(fairness.ProtectionItem.Complete);
        Assert.Null(fairness.ProtectionItem.Problem);
        Assert.Empty(AssessmentRules.ProtectionProblems(Catalog.Dimension("FN"), level, "justified"));
    }

    [Fact]
    public void Reliability_cannot_be_low()
    {
        var problems = AssessmentRules.ProtectionProblems(Catalog.Dimension("RE"), ProtectionLevel.Low, "It is only a demo.");
        Assert.Equal(["Reliability cannot be low: its protection requirement is at least medium."], problems);

        var reliability = Evaluate(Rated("RE", ProtectionLevel.Low)).Dimension("RE");
        Assert.Equal(Applicability.NotRated, reliability.Applicability);
        Assert.Null(reliability.Protection);
        Assert.False(reliability.ProtectionItem.Complete);
        Assert.Equal(problems[0], reliability.ProtectionItem.Problem);
        Assert.All(reliability.RiskAreas, a => Assert.Equal(Applicability.NotRated, a.Applicability));

        Assert.Equal(Applicability.Applicable, Evaluate(Rated("RE", ProtectionLevel.Medium)).Dimension("RE").Applicability);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_protection_requirement_without_justification_is_refused(string? justification)
    {
        var problems = AssessmentRules.ProtectionProblems(Catalog.Dimension("FN"), ProtectionLevel.High, justification);
        Assert.Equal(["Justify the protection requirement of Fairness."], problems);

        var fairness = Evaluate(Rated("FN", ProtectionLevel.High, justification)).Dimension("FN");
        Assert.Equal(Applicability.NotRated, fairness.Applicability);
        Assert.Equal(problems[0], fairness.ProtectionItem.Problem);
    }

    [Fact]
    public void Low_reliability_without_justification_reports_both_problems()
    {
        var problems = AssessmentRules.ProtectionProblems(Catalog.Dimension("RE"), ProtectionLevel.Low, null);

        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void No_rating_yet_is_not_a_problem_but_leaves_the_dimension_not_rated()
    {
        Assert.Empty(AssessmentRules.ProtectionProblems(Catalog.Dimension("FN"), null, null));

        var fairness = Evaluate(Answer("FN-P", justification: "draft")).Dimension("FN");

        Assert.Equal(Applicability.NotRated, fairness.Applicability);
        Assert.False(fairness.ProtectionItem.Complete);
        Assert.Null(fairness.ProtectionItem.Problem);
        Assert.Null(fairness.SummaryItem);
        Assert.All(fairness.RiskAreas, a =>
        {
            Assert.Equal(Applicability.NotRated, a.Applicability);
            Assert.Empty(a.Items);
            Assert.Equal(new Progress(0, 0), a.Progress);
        });
        // Not rated, it counts everything it would ask if applicable: protection, 2 × 4 requirements, summary.
        Assert.Equal(new Progress(0, 10), fairness.Progress);
    }

    [Fact]
    public void The_overall_progress_is_the_sum_of_the_parts_shown_and_unrated_dimensions_do_not_inflate_it()
    {
        // The profile answered, no dimension rated: every dimension shows 0 %, so the overall figure must stay near 0 %
        // too (it said 57 % when each unrated dimension counted as one item and the profile was not among the rows).
        var evaluation = AssessmentRules.Evaluate(Catalog, State(Catalog.Profile.Select(item => Answer(item.Id, text: "Answered."))));

        Assert.Equal(["PF", "FN", "RE", "DP"], evaluation.Parts.Select(p => p.Code));
        Assert.Equal(new Progress(2, 2), evaluation.Parts[0].Progress);
        Assert.All(evaluation.Parts.Skip(1), p => Assert.Equal(0, p.Progress.Done));
        Assert.Equal(new Progress(2, 2 + 10 + 6 + 6), evaluation.Overall);
        Assert.Equal(AssessmentRules.OverallProgress(evaluation.Parts), evaluation.Overall);

        // Rated and summarised with a trade-off: the AT row joins the parts, and the parts still add up to the overall figure.
        var accepted = AssessmentRules.Evaluate(Catalog, State(Summarised(re: ResidualRisk.Acceptable)));
        Assert.Equal("AT", accepted.Parts[^1].Code);
        Assert.Equal(Progress.Sum(accepted.Parts.Select(p => p.Progress)), accepted.Overall);
    }

    [Theory]
    [InlineData(0.85, Fulfilment.Met)]
    [InlineData(0.5, Fulfilment.NotMet)]
    [InlineData(null, null)]
    public void A_criterion_outcome_suggests_the_fulfilment(double? value, Fulfilment? expected) =>
        Assert.Equal(expected, AssessmentRules.SuggestedFulfilment(AssessmentRules.Check(value, 0.8, null)));

    [Fact]
    public void A_low_dimension_skips_its_risk_areas_and_summary()
    {
        // Answers left in the skipped risk areas and summary (e.g. from before the rating was lowered) are not asked.
        var fairness = Evaluate(Rated("FN", ProtectionLevel.Low), Answer("FN-R-FN-RI-01", text: "bias"),
            Summary("FN", ResidualRisk.Unacceptable)).Dimension("FN");

        Assert.Equal(Applicability.NotApplicable, fairness.Applicability);
        Assert.Equal(["FN-R-FN", "FN-R-CD"], fairness.RiskAreas.Select(a => a.Key));
        Assert.All(fairness.RiskAreas, a =>
        {
            Assert.Equal(Applicability.NotApplicable, a.Applicability);
            Assert.Empty(a.Items);
            Assert.Equal(new Progress(0, 0), a.Progress);
        });
        Assert.Null(fairness.SummaryItem);
        Assert.Null(fairness.ResidualRisk);
        Assert.Empty(fairness.Warnings);
        Assert.Equal(new Progress(1, 1), fairness.Progress);
    }

    [Fact]
    public void An_applicable_dimension_asks_every_requirement_of_its_risk_areas()
    {
        var fairness = Evaluate(Rated("FN", ProtectionLevel.Medium)).Dimension("FN");

        Assert.All(fairness.RiskAreas, a => Assert.Equal(Applicability.Applicable, a.Applicability));
        Assert.Equal(["FN-R-FN-RI-01", "FN-R-FN-CR-01", "FN-R-FN-ME-01", "FN-R-FN-OA"], fairness.RiskAreas[0].Items.Select(i => i.Code));
        Assert.All(fairness.RiskAreas.SelectMany(a => a.Items), i => Assert.False(i.Complete));
        Assert.NotNull(fairness.SummaryItem);
        Assert.Equal(new Progress(1, 10), fairness.Progress);
    }

    // Risk areas: RI, CR, ME, OA

    private static ItemStatus Item(AssessmentState state, string code) =>
        AssessmentRules.Evaluate(Catalog, state).Dimensions.SelectMany(d => d.RiskAreas).SelectMany(a => a.Items).Single(i => i.Code == code);

    private static ItemStatus Item(string code, IEnumerable<AssessmentAnswer>? answers = null, IEnumerable<AssessmentCriterion>? criteria = null,
        IEnumerable<AssessmentMeasure>? measures = null) =>
        Item(State([Rated("RE", ProtectionLevel.High), .. answers ?? []], criteria, measures), code);

    [Theory]
    [InlineData(null, false)]
    [InlineData("  ", false)]
    [InlineData("Wrong relations mislead curators.", true)]
    public void Risk_analysis_is_complete_with_text(string? text, bool complete)
    {
        var item = Item("RE-R-SC-RI-01", [Answer("RE-R-SC-RI-01", text: text)]);

        Assert.Equal(complete, item.Complete);
        Assert.Null(item.Problem);
    }

    [Fact]
    public void Criteria_are_missing_until_one_is_given_or_answered_by_text()
    {
        Assert.False(Item("RE-R-SC-CR-01").Complete);
        Assert.True(Item("RE-R-SC-CR-01", [Answer("RE-R-SC-CR-01", text: "No measurable KPI applies: the output is reviewed by hand.")]).Complete);
        Assert.True(Item("RE-R-SC-CR-01", criteria: [Criterion()]).Complete);
    }

    public static TheoryData<AssessmentCriterion, string> IncompleteCriteria => new()
    {
        { Criterion(kpi: " "), "Name the KPI." },
        { Criterion(min: null, max: null), "Give 'Held-out F1' a target interval." },
        { Criterion(min: 0.9, max: 0.8), "The target interval of 'Held-out F1' is empty (minimum above maximum)." },
        { Criterion(justification: ""), "Justify the target interval of 'Held-out F1'." },
        {
            new AssessmentCriterion
            {
                RequirementCode = "RE-R-SC-CR-01", Kpi = "ROC-AUC", TargetMin = 0.9, Justification = "j", MetricSource = MetricSourceKind.NoveltyModelSet,
            },
            "Choose the model and metric 'ROC-AUC' is bound to."
        },
        {
            new AssessmentCriterion
            {
                RequirementCode = "RE-R-SC-CR-01", Kpi = "ROC-AUC", TargetMin = 0.9, Justification = "j", MetricSource = MetricSourceKind.NoveltyModelSet,
                MetricSourceId = 3, MetricKey = " ",
            },
            "Choose the model and metric 'ROC-AUC' is bound to."
        },
    };

    [Theory]
    [MemberData(nameof(IncompleteCriteria))]
    public void An_incomplete_criterion_says_what_is_missing(AssessmentCriterion criterion, string problem)
    {
        Assert.Equal(problem, AssessmentRules.CriterionProblem(criterion));

        var item = Item("RE-R-SC-CR-01", criteria: [criterion]);
        Assert.False(item.Complete);
        Assert.Equal(problem, item.Problem);
    }

    [Fact]
    public void Complete_criteria_have_a_kpi_a_justified_interval_and_any_binding_chosen()
    {
        Assert.Null(AssessmentRules.CriterionProblem(Criterion(min: 0.8, max: null)));
        Assert.Null(AssessmentRules.CriterionProblem(Criterion(min: null, max: 0.05)));
        Assert.Null(AssessmentRules.CriterionProblem(Criterion(min: 0.5, max: 0.5)));
        var bound = Criterion();
        bound.MetricSource = MetricSourceKind.RelationModel;
        bound.MetricSourceId = 7;
        bound.MetricKey = "heldOut.maxF1";
        Assert.Null(AssessmentRules.CriterionProblem(bound));
    }

    [Fact]
    public void One_incomplete_criterion_keeps_the_requirement_incomplete_and_text_does_not_help()
    {
        var item = Item("RE-R-SC-CR-01", [Answer("RE-R-SC-CR-01", text: "See the criteria.")], [Criterion(), Criterion(kpi: "Recall", justification: "")]);

        Assert.False(item.Complete);
        Assert.Equal("Justify the target interval of 'Recall'.", item.Problem);
    }

    [Fact]
    public void Criteria_of_another_requirement_do_not_count()
    {
        Assert.False(Item("RE-R-SC-CR-01", criteria: [Criterion(requirement: "FN-R-FN-CR-01")]).Complete);
    }

    [Fact]
    public void Measures_are_missing_until_one_is_given_or_answered_by_text()
    {
        Assert.False(Item("RE-R-SC-ME-01").Complete);
        Assert.True(Item("RE-R-SC-ME-01", [Answer("RE-R-SC-ME-01", text: "Covered by the training pipeline's tests.")]).Complete);
        Assert.True(Item("RE-R-SC-ME-01", measures: [Measure()]).Complete);
    }

    [Theory]
    [InlineData(" ", new[] { "Te" }, "Describe the measure, or point to the risk area whose measures cover it.")]
    [InlineData("Held-out evaluation", new string[0], "Say how the measure is evidenced (documentation, test report, process description).")]
    public void An_incomplete_measure_says_what_is_missing(string description, string[] evidence, string problem)
    {
        var measure = Measure(description: description, evidence: evidence);
        Assert.Equal(problem, AssessmentRules.MeasureProblem(measure));

        var item = Item("RE-R-SC-ME-01", measures: [measure]);
        Assert.False(item.Complete);
        Assert.Equal(problem, item.Problem);
    }

    [Fact]
    public void A_measure_pointing_to_another_risk_area_is_complete()
    {
        var pointer = Measure(description: "", evidence: [], referenced: "FN-R-FN");

        Assert.Null(AssessmentRules.MeasureProblem(pointer));
        Assert.True(Item("RE-R-SC-ME-01", measures: [pointer]).Complete);
    }

    [Theory]
    [InlineData(null, null, false, false)]
    [InlineData(Fulfilment.Met, null, true, false)]
    [InlineData(Fulfilment.PartlyMet, null, false, true)]
    [InlineData(Fulfilment.NotMet, " ", false, true)]
    [InlineData(Fulfilment.NotMet, "F1 is 0.74 against 0.8: more gold labels are planned.", true, false)]
    [InlineData(Fulfilment.PartlyMet, "Recall is met, precision is not.", true, false)]
    public void The_overall_assessment_records_discrepancies_unless_met(Fulfilment? fulfilment, string? discrepancies, bool complete, bool problem)
    {
        var item = Item("RE-R-SC-OA", [Answer("RE-R-SC-OA", text: discrepancies, fulfilment: fulfilment)]);

        Assert.Equal(complete, item.Complete);
        Assert.Equal(problem ? "Record the discrepancies: which criteria are not or only partly met, and why." : null, item.Problem);
    }

    // Summary (S) and warnings

    [Fact]
    public void The_summary_needs_a_residual_risk_and_its_explanation()
    {
        DimensionEvaluation Reliability(params AssessmentAnswer[] answers) => Evaluate([Rated("RE", ProtectionLevel.Medium), .. answers]).Dimension("RE");

        var none = Reliability();
        Assert.False(none.SummaryItem!.Complete);
        Assert.Null(none.SummaryItem.Problem);
        Assert.Null(none.ResidualRisk);

        var unexplained = Reliability(Summary("RE", ResidualRisk.Acceptable, explanation: " "));
        Assert.False(unexplained.SummaryItem!.Complete);
        Assert.Equal("Explain why the residual risk of Reliability is non-negligible but acceptable.", unexplained.SummaryItem.Problem);
        Assert.Equal(ResidualRisk.Acceptable, unexplained.ResidualRisk);

        var explained = Reliability(Summary("RE", ResidualRisk.Negligible));
        Assert.True(explained.SummaryItem!.Complete);
        Assert.Null(explained.SummaryItem.Problem);
    }

    [Fact]
    public void A_negligible_residual_risk_with_unmet_criteria_is_warned_about()
    {
        var unmet = Answer("FN-R-CD-OA", text: "Drift is not monitored.", fulfilment: Fulfilment.NotMet);

        var warned = Evaluate(Rated("FN", ProtectionLevel.High), Summary("FN", ResidualRisk.Negligible), unmet).Dimension("FN");
        Assert.Equal(["The residual risk of Fairness is negligible although the criteria of Control of dynamics are not met."], warned.Warnings);

        Assert.Empty(Evaluate(Rated("FN", ProtectionLevel.High), Summary("FN", ResidualRisk.Acceptable), unmet).Dimension("FN").Warnings);
        Assert.Empty(Evaluate(Rated("FN", ProtectionLevel.High), Summary("FN", ResidualRisk.Negligible),
            Answer("FN-R-CD-OA", fulfilment: Fulfilment.Met)).Dimension("FN").Warnings);
    }

    // Progress

    [Fact]
    public void Progress_counts_only_what_is_asked()
    {
        var state = State(
        [
            Answer("PF-T-FA-01", text: "Extracts relations from news."),
            Rated("FN", ProtectionLevel.Medium), Summary("FN", ResidualRisk.Negligible),
            Answer("FN-R-FN-RI-01", text: "Biased training data."), Answer("FN-R-FN-OA", fulfilment: Fulfilment.Met),
            Rated("RE", ProtectionLevel.High), Answer("RE-R-SC-CR-01", text: "Reviewed by hand."),
            Rated("DP", ProtectionLevel.Low),
        ], [Criterion(requirement: "FN-R-FN-CR-01")]);

        var evaluation = AssessmentRules.Evaluate(Catalog, state);

        Assert.Equal(new Progress(1, 2), evaluation.ProfileProgress);
        // Fairness: FN area 3 of 4 (ME missing), CD 0 of 4, protection and summary 2 of 2.
        Assert.Equal(new Progress(3, 4), evaluation.Dimension("FN").RiskAreas[0].Progress);
        Assert.Equal(new Progress(0, 4), evaluation.Dimension("FN").RiskAreas[1].Progress);
        Assert.Equal(new Progress(5, 10), evaluation.Dimension("FN").Progress);
        // Reliability: SC 1 of 4, protection done, summary open.
        Assert.Equal(new Progress(2, 6), evaluation.Dimension("RE").Progress);
        // Data protection is low: only its rating is asked.
        Assert.Equal(new Progress(1, 1), evaluation.Dimension("DP").Progress);
        Assert.Null(evaluation.CrossDimensionalItem);
        Assert.Equal(new Progress(9, 19), evaluation.Overall);
        Assert.False(evaluation.Overall.IsComplete);
        Assert.Equal(9.0 / 19, evaluation.Overall.Fraction, 12);
    }

    [Fact]
    public void The_trade_off_is_asked_and_counted_only_when_some_risk_is_accepted()
    {
        var negligible = AssessmentRules.Evaluate(Catalog, State(Summarised()));
        Assert.Null(negligible.CrossDimensionalItem);

        var accepted = AssessmentRules.Evaluate(Catalog, State(Summarised(re: ResidualRisk.Acceptable)));
        Assert.Equal("AT", accepted.CrossDimensionalItem!.Code);
        Assert.False(accepted.CrossDimensionalItem.Complete);
        Assert.NotNull(accepted.CrossDimensionalItem.Problem);
        Assert.Equal(negligible.Overall.Required + 1, accepted.Overall.Required);

        var justified = AssessmentRules.Evaluate(Catalog, State([.. Summarised(re: ResidualRisk.Acceptable),
            Answer("AT", justification: "Occasional wrong relations are reviewed by curators.")]));
        Assert.True(justified.CrossDimensionalItem!.Complete);
        Assert.Null(justified.CrossDimensionalItem.Problem);
        Assert.Equal(accepted.Overall.Done + 1, justified.Overall.Done);
    }

    // Verdict (AT)

    [Fact]
    public void The_verdict_is_incomplete_until_every_dimension_is_rated_and_summarised()
    {
        var verdict = Evaluate([Rated("FN", ProtectionLevel.Medium), Summary("FN", ResidualRisk.Negligible),
            Rated("RE", ProtectionLevel.High), Summary("RE", ResidualRisk.Unacceptable, explanation: null), .. ProfileAndRequirementsAnswered()]).Verdict;

        Assert.Equal(Verdict.Incomplete, verdict.Verdict);
        Assert.Equal(
        [
            "Classify and explain the residual risk of Reliability (RE-S).",
            "Rate the protection requirement of Data Protection (DP-P).",
        ], verdict.Reasons);
    }

    [Fact]
    public void The_verdict_is_incomplete_while_the_profile_or_an_applicable_risk_area_is_open()
    {
        var answers = Summarised().Where(a => a.ItemCode is not ("PF-T-ST-01" or "RE-R-SC-CR-01" or "RE-R-SC-OA" or "DP-R-PD-RI-01")).ToList();

        var verdict = AssessmentRules.Evaluate(Catalog, State(answers)).Verdict;

        Assert.Equal(Verdict.Incomplete, verdict.Verdict);
        Assert.Equal(
        [
            "Complete the AI profile (1 of 2 items open).",
            "Complete the risk areas of Reliability: 2 items open (RE-R-SC-CR-01, RE-R-SC-OA).",
            "Complete the risk areas of Data Protection: 1 item open (DP-R-PD-RI-01).",
        ], verdict.Reasons);
    }

    [Fact]
    public void Open_items_of_a_low_dimension_do_not_hold_the_verdict_back()
    {
        var answers = Summarised(fnLevel: ProtectionLevel.Low).Where(a => !a.ItemCode.StartsWith("FN-R-", StringComparison.Ordinal)).ToList();

        Assert.Equal(Verdict.Trustworthy, AssessmentRules.Evaluate(Catalog, State(answers)).Verdict.Verdict);
    }

    [Fact]
    public void A_refused_rating_keeps_the_verdict_incomplete()
    {
        var answers = Summarised();
        answers[2] = Rated("RE", ProtectionLevel.Low);

        var verdict = AssessmentRules.Evaluate(Catalog, State(answers)).Verdict;

        Assert.Equal(Verdict.Incomplete, verdict.Verdict);
        Assert.Equal(["Rate the protection requirement of Reliability (RE-P)."], verdict.Reasons);
    }

    [Theory]
    [InlineData(ProtectionLevel.Medium)]
    [InlineData(ProtectionLevel.High)]
    public void Unacceptable_residual_risk_in_a_medium_or_high_dimension_is_not_trustworthy(ProtectionLevel level)
    {
        var verdict = AssessmentRules.Evaluate(Catalog,
            State([.. Summarised(dp: ResidualRisk.Unacceptable, re: ResidualRisk.Acceptable, dpLevel: level), Answer("AT", justification: "trade-off")])).Verdict;

        Assert.Equal(Verdict.NotTrustworthy, verdict.Verdict);
        Assert.Contains("Unacceptable residual risk in Data Protection", verdict.Reasons.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unacceptable_residual_risk_recorded_on_a_low_dimension_is_ignored()
    {
        var verdict = AssessmentRules.Evaluate(Catalog, State(Summarised(fn: ResidualRisk.Unacceptable, fnLevel: ProtectionLevel.Low))).Verdict;

        Assert.Equal(Verdict.Trustworthy, verdict.Verdict);
        Assert.Equal(["Every applicable dimension's residual risk is negligible (1 with low protection requirement not examined)."], verdict.Reasons);
    }

    [Fact]
    public void Accepted_residual_risk_without_a_justified_trade_off_is_not_trustworthy()
    {
        var verdict = AssessmentRules.Evaluate(Catalog,
            State([.. Summarised(fn: ResidualRisk.Acceptable, re: ResidualRisk.Acceptable), Answer("AT", justification: " ")])).Verdict;

        Assert.Equal(Verdict.NotTrustworthy, verdict.Verdict);
        Assert.Equal(["Non-negligible residual risk in Fairness, Reliability has no justified trade-off (AT)."], verdict.Reasons);
    }

    [Fact]
    public void Accepted_residual_risk_with_a_justified_trade_off_is_trustworthy_with_accepted_risk()
    {
        var verdict = AssessmentRules.Evaluate(Catalog,
            State([.. Summarised(re: ResidualRisk.Acceptable), Answer("AT", justification: "Curators review every extracted relation.")])).Verdict;

        Assert.Equal(Verdict.TrustworthyWithAcceptedRisk, verdict.Verdict);
        Assert.Equal(["Non-negligible residual risk in Reliability is accepted with a justified trade-off (AT)."], verdict.Reasons);
    }

    [Fact]
    public void All_negligible_is_trustworthy()
    {
        var verdict = AssessmentRules.Evaluate(Catalog, State(Summarised())).Verdict;

        Assert.Equal(Verdict.Trustworthy, verdict.Verdict);
        Assert.Equal(["Every dimension's residual risk is negligible."], verdict.Reasons);
    }

    // Check: a value against its target interval

    [Theory]
    [InlineData(0.85, 0.8, 0.9, CriterionOutcome.Pass)]
    [InlineData(0.8, 0.8, 0.9, CriterionOutcome.Pass)]
    [InlineData(0.9, 0.8, 0.9, CriterionOutcome.Pass)]
    [InlineData(0.79, 0.8, 0.9, CriterionOutcome.Fail)]
    [InlineData(0.91, 0.8, 0.9, CriterionOutcome.Fail)]
    [InlineData(12.0, 0.8, null, CriterionOutcome.Pass)]
    [InlineData(0.5, 0.8, null, CriterionOutcome.Fail)]
    [InlineData(-3.0, null, 0.05, CriterionOutcome.Pass)]
    [InlineData(0.06, null, 0.05, CriterionOutcome.Fail)]
    [InlineData(0.5, null, null, CriterionOutcome.Pass)]
    [InlineData(null, 0.8, 0.9, CriterionOutcome.NoValue)]
    [InlineData(double.NaN, 0.8, 0.9, CriterionOutcome.NoValue)]
    public void Check_compares_against_the_inclusive_interval(double? value, double? min, double? max, CriterionOutcome expected)
    {
        Assert.Equal(expected, AssessmentRules.Check(value, min, max));
    }
}
