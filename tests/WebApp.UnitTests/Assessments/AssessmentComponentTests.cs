using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Rules;
using WebApp.Web.Assessments;
using WebApp.Web.Assessments.Components;

namespace WebApp.UnitTests.Assessments;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.")]
public sealed class AssessmentComponentTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public AssessmentComponentTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static AssessmentAnswer Protection(string code, ProtectionLevel level, string justification = "because", uint rowVersion = 1) =>
        new() { ItemCode = code, Protection = level, Justification = justification, RowVersion = rowVersion };

    [Fact]
    public void The_progress_chart_draws_one_bar_per_dimension_with_low_ones_marked_not_applicable()
    {
        // Fairness low (skipped), Reliability medium with its RI answered, Data Protection not rated yet.
        var answers = new Dictionary<string, AssessmentAnswer>
        {
            ["FN-P"] = Protection("FN-P", ProtectionLevel.Low),
            ["RE-P"] = Protection("RE-P", ProtectionLevel.Medium),
            ["RE-R-SC-RI-01"] = new() { ItemCode = "RE-R-SC-RI-01", Text = "Wrong relations mislead the analysts." },
        };
        var evaluation = AssessmentRules.Evaluate(TestCatalog.Definition, new AssessmentState(answers, [], []));

        var chart = _context.Render<ProgressChart>(p => p.Add(c => c.Evaluation, evaluation).Add(c => c.LinkBase, "assessments/7"));

        var rows = chart.FindAll(".progress-row[data-dimension]");
        Assert.Equal(["FN", "RE", "DP"], rows.Select(r => r.GetAttribute("data-dimension")));
        Assert.Contains("n/a — low protection requirement", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Empty(rows[0].QuerySelectorAll(".progress-fill"));
        // Reliability: protection + RI of SC done out of protection, 4 requirements of SC and the summary.
        Assert.Contains("(2 / 6)", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("width: 33.33%", rows[1].QuerySelector(".progress-fill")!.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("not rated yet", rows[2].TextContent, StringComparison.Ordinal);
        Assert.Equal("assessments/7/dimensions/RE", rows[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Single(chart.FindAll(".progress-overall"));
    }

    [Theory]
    [InlineData(0.82, "Pass", "pass")]
    [InlineData(0.7, "Pass", "pass")]
    [InlineData(0.65, "Fail", "fail")]
    [InlineData(null, "NoValue", "no value")]
    public void The_criterion_chip_says_pass_or_fail_against_the_inclusive_target_interval(double? value, string outcome, string text)
    {
        var chip = _context.Render<CriterionOutcomeChip>(p => p
            .Add(c => c.Value, value).Add(c => c.TargetMin, 0.7).Add(c => c.TargetMax, 1.0).Add(c => c.Unit, "F1"));

        var element = chip.Find(".criterion-outcome");
        Assert.Equal(outcome, element.GetAttribute("data-outcome"));
        Assert.StartsWith(text, element.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("Target [0.7, 1]", element.GetAttribute("title"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_protection_form_disables_low_for_a_dimension_that_is_at_least_medium_and_says_why()
    {
        var reliability = TestCatalog.Definition.Dimension("RE");

        var form = _context.Render<ProtectionForm>(p => p.Add(f => f.Dimension, reliability));

        Assert.True(form.Find("input[data-level=Low]").HasAttribute("disabled"));
        Assert.False(form.Find("input[data-level=Medium]").HasAttribute("disabled"));
        Assert.False(form.Find("input[data-level=High]").HasAttribute("disabled"));
        Assert.Contains("at least medium", form.Find(".minimum-reason").TextContent, StringComparison.Ordinal);

        var fairness = _context.Render<ProtectionForm>(p => p.Add(f => f.Dimension, TestCatalog.Definition.Dimension("FN")));
        Assert.False(fairness.Find("input[data-level=Low]").HasAttribute("disabled"));
        Assert.Empty(fairness.FindAll(".minimum-reason"));
    }

    [Fact]
    public void The_protection_form_shows_the_rule_message_inline_and_saves_with_the_loaded_row_version()
    {
        AnswerEdit? saved = null;
        var form = _context.Render<ProtectionForm>(p => p
            .Add(f => f.Dimension, TestCatalog.Definition.Dimension("RE"))
            .Add(f => f.Answer, Protection("RE-P", ProtectionLevel.High, "", rowVersion: 42))
            .Add(f => f.OnSave, edit => saved = edit));

        Assert.Equal("Justify the protection requirement of Reliability.", form.Find(".protection-problem").TextContent.Trim());

        form.Find(".protection-justification textarea").Input("Wrong answers reach analysts' reports.");
        Assert.Empty(form.FindAll(".protection-problem"));
        form.Find(".save-protection").Click();

        Assert.NotNull(saved);
        Assert.Equal(("RE-P", (uint?)42, ProtectionLevel.High, "Wrong answers reach analysts' reports."),
            (saved.ItemCode, saved.ExpectedRowVersion, saved.Protection, saved.Justification));
    }
}
