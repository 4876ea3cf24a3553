using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Assessments.Rules;
using WebApp.Domain.Identity;
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
        // The profile is a row too, so the rows add up to the overall figure.
        Assert.Equal(["PF", "FN", "RE", "DP"], chart.FindAll(".progress-row[data-part]").Select(r => r.GetAttribute("data-part")));
        Assert.Equal("assessments/7/profile", chart.Find(".progress-row[data-part=PF] a").GetAttribute("href"));
        Assert.Contains($"({evaluation.Overall.Done} / {evaluation.Overall.Required})", chart.Find("#overall-progress").TextContent, StringComparison.Ordinal);
        Assert.Equal(evaluation.Overall.Required, evaluation.Parts.Sum(p => p.Progress.Required));
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

    [Fact]
    public void A_kpi_that_passes_suggests_met_and_the_assessee_confirms_it_by_saving()
    {
        _context.Services.AddSingleton(new ModelMetricSource(null!));
        var criterion = new AssessmentCriterion
        {
            Id = 9,
            RequirementCode = "RE-R-SC-CR-01",
            Kpi = "Held-out F1",
            TargetMin = 0.8,
            Justification = "j",
            ManualValue = 0.85,
            RowVersion = 3,
        };
        AssessmentSession SessionWith(AssessmentCriterion c, ClaimsPrincipal user) => new(new AssessmentView(
            new Assessment { Id = 7, Cycle = 1, Version = 1, Status = AssessmentStatus.Draft },
            new AiApplication { Id = 3, Name = "Ticket router" },
            new AssessmentCatalog { Id = 1, Title = "Test catalog", Version = "1.0" },
            TestCatalog.Definition, new Dictionary<string, AssessmentAnswer>(), [c], [], [], [], [], new Dictionary<int, MetricReading?>(),
            AssessmentRules.Evaluate(TestCatalog.Definition, new AssessmentState(new Dictionary<string, AssessmentAnswer>(), [c], [])),
            new HashSet<string>()), user, null!, (_, _) => Task.FromResult(true));
        IRenderedComponent<CriterionEditor> Render(AssessmentCriterion c, ClaimsPrincipal user) => _context.Render<CriterionEditor>(e => e
            .AddCascadingValue(SessionWith(c, user)).Add(x => x.RequirementCode, "RE-R-SC-CR-01").Add(x => x.Criterion, c));

        var editor = Render(criterion, UserIn(Roles.Assessee));
        Assert.Contains("Suggested by the KPI's outcome (met)", editor.Find(".fulfilment-suggested").TextContent, StringComparison.Ordinal);
        Assert.Equal("Met", editor.Find(".criterion-fulfilment input").GetAttribute("value"));
        // Only a suggestion: nothing is stored until the assessee saves, which the button offers.
        Assert.False(editor.Find(".save-criterion").HasAttribute("disabled"));
        Assert.Null(criterion.Fulfilment);

        // A judged criterion keeps its judgement; a failing KPI suggests "not met"; a reader gets no suggestion.
        Assert.Empty(Render(new AssessmentCriterion
        {
            Id = 10,
            RequirementCode = "RE-R-SC-CR-01",
            Kpi = "F1",
            TargetMin = 0.8,
            Justification = "j",
            ManualValue = 0.85,
            Fulfilment = Fulfilment.PartlyMet
        }, UserIn(Roles.Assessee)).FindAll(".fulfilment-suggested"));
        Assert.Contains("(not met)", Render(new AssessmentCriterion
        {
            Id = 11,
            RequirementCode = "RE-R-SC-CR-01",
            Kpi = "F1",
            TargetMin = 0.8,
            Justification = "j",
            ManualValue = 0.5
        }, UserIn(Roles.Assessee)).Find(".fulfilment-suggested").TextContent, StringComparison.Ordinal);
        Assert.Empty(Render(criterion, UserIn(Roles.Auditor)).FindAll(".fulfilment-suggested"));
    }

    private static ClaimsPrincipal UserIn(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role)], "test"));

    /// <summary>A session on a cycle-2 assessment whose RE-R-SC-RI-01 answer was carried over and has an open change request.</summary>
    private static AssessmentSession Session(ClaimsPrincipal user, AssessmentStatus status)
    {
        var answers = new Dictionary<string, AssessmentAnswer>
        {
            ["RE-P"] = Protection("RE-P", ProtectionLevel.Medium),
            ["RE-R-SC-RI-01"] = new() { ItemCode = "RE-R-SC-RI-01", Text = "Copied from cycle 1.", CarriedOver = true, UpdatedByName = "Sam" },
        };
        var view = new AssessmentView(
            new Assessment { Id = 7, Cycle = 2, Version = 1, Status = status },
            new AiApplication { Id = 3, Name = "Ticket router" },
            new AssessmentCatalog { Id = 1, Title = "Test catalog", Version = "1.0" },
            TestCatalog.Definition, answers, [], [], [],
            [new AssessmentComment { Id = 5, ItemCode = "RE-R-SC-RI-01", Text = "Name the teams.", IsChangeRequest = true, AuthorName = "Alex" }],
            [], new Dictionary<int, MetricReading?>(),
            AssessmentRules.Evaluate(TestCatalog.Definition, new AssessmentState(answers, [], [])),
            new HashSet<string>(["RE-R-SC-RI-01"]));
        // Rendering shows actions; none is run here, so no service is needed.
        return new AssessmentSession(view, user, null!, (_, _) => Task.FromResult(true));
    }

    private IRenderedComponent<ItemPanel> RenderItem(AssessmentSession session) =>
        _context.Render<ItemPanel>(item => item
            .AddCascadingValue(session)
            .Add(i => i.Code, "RE-R-SC-RI-01").Add(i => i.Text, "Risks").Add(i => i.Help, "What could go wrong, for whom.")
            .AddChildContent<TextAnswer>(answer => answer.Add(a => a.Code, "RE-R-SC-RI-01")));

    [Fact]
    public void An_item_shows_its_flags_and_only_the_actions_the_role_may_take_in_the_status()
    {
        var assessee = RenderItem(Session(UserIn(Roles.Assessee), AssessmentStatus.Draft));
        Assert.NotEmpty(assessee.FindAll(".carried-over"));
        Assert.NotEmpty(assessee.FindAll(".changed-since"));
        Assert.NotEmpty(assessee.FindAll(".confirm-unchanged"));
        Assert.NotEmpty(assessee.FindAll(".save-answer"));
        // The change request is the auditor's to resolve: the assessee replies.
        Assert.Empty(assessee.FindAll(".resolve-comment"));
        Assert.NotEmpty(assessee.FindAll(".reply-comment"));
        Assert.Contains("the auditor resolves it", assessee.Find(".resolve-by-auditor").TextContent, StringComparison.Ordinal);
        Assert.Contains("Change request: Name the teams.", assessee.Find(".item-comment").TextContent, StringComparison.Ordinal);
        Assert.Empty(assessee.FindAll(".item-help"));
        assessee.Find(".help-toggle").Click();
        Assert.Equal("What could go wrong, for whom.", assessee.Find(".item-help").TextContent);

        // The auditor reads a draft: no editing, no confirming, and change requests are resolved during the review only.
        var auditor = RenderItem(Session(UserIn(Roles.Auditor), AssessmentStatus.Draft));
        Assert.NotEmpty(auditor.FindAll(".carried-over"));
        Assert.Empty(auditor.FindAll(".confirm-unchanged"));
        Assert.Empty(auditor.FindAll(".save-answer"));
        Assert.Empty(auditor.FindAll(".resolve-comment"));
        Assert.True(auditor.Find(".answer-text textarea").HasAttribute("readonly"));

        // In review the assessee cannot change anything, nor resolve; the auditor resolves.
        var inReview = RenderItem(Session(UserIn(Roles.Assessee), AssessmentStatus.InReview));
        Assert.Empty(inReview.FindAll(".confirm-unchanged"));
        Assert.Empty(inReview.FindAll(".save-answer"));
        Assert.Empty(inReview.FindAll(".resolve-comment"));
        Assert.NotEmpty(RenderItem(Session(UserIn(Roles.Auditor), AssessmentStatus.InReview)).FindAll(".resolve-comment"));
        Assert.NotEmpty(RenderItem(Session(UserIn(Roles.Auditor), AssessmentStatus.ChangesRequested)).FindAll(".resolve-comment"));
        Assert.Empty(RenderItem(Session(UserIn(Roles.Assessee), AssessmentStatus.ChangesRequested)).FindAll(".resolve-comment"));
    }
}
