using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Assessments;
using WebApp.Web.Assessments;

namespace WebApp.IntegrationTests.Assessments;

/// <summary>The assessment pages, rendered by the server for the demo users, with the real service and PostgreSQL.</summary>
public class AssessmentPagesTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private AssessmentService Service => app.Services.GetRequiredService<AssessmentService>();

    /// <summary>An application with a started assessment: Fairness low, Reliability medium with a criterion, Data Protection unrated.</summary>
    private async Task<(AiApplication Application, Assessment Assessment)> StartAsync()
    {
        int catalogId;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            catalogId = await TestCatalog.InsertAsync(db, TestCatalog.Definition($"pages-{Guid.NewGuid():N}", "1"));
        }
        var sam = Users.Assessee;
        var application = await Service.CreateApplicationAsync(sam, $"Ticket router {Guid.NewGuid():N}", "Team A", "Routes support tickets.");
        var assessment = await Service.StartAssessmentAsync(sam, application.Id, catalogId);
        await Service.SaveAnswerAsync(sam, assessment.Id, new AnswerEdit("PF-T-FA-01", null, Text: "Routes support tickets to teams."));
        await Service.SaveAnswerAsync(sam, assessment.Id, new AnswerEdit("FN-P", null, Protection: ProtectionLevel.Low, Justification: "No decisions about people."));
        await Service.SaveAnswerAsync(sam, assessment.Id, new AnswerEdit("RE-P", null, Protection: ProtectionLevel.Medium, Justification: "Misrouting costs time."));
        await Service.SaveCriterionAsync(sam, assessment.Id, new CriterionEdit(null, null, "RE-R-SC-CR-01", "Accuracy", 0.9, 1, "", "Below 90 % queues overflow.",
            0.93, null, null, null, null));
        await Service.AddCommentAsync(Users.Auditor, assessment.Id, "PF-T-FA-01", "Name the teams.", false);
        return (application, assessment);
    }

    private static void Contains(string expected, string page) => Assert.Contains(expected, page, StringComparison.Ordinal);

    [Fact]
    public async Task An_assessee_sees_the_portfolio_with_the_latest_assessment_and_the_catalog_credit()
    {
        var (application, assessment) = await StartAsync();
        var client = await app.ClientAsync("assessee@demo.local");

        var portfolio = await client.GetStringAsync("/assessments");
        var details = await client.GetStringAsync($"/assessments/applications/{application.Id}");

        Contains(WebUtility.HtmlEncode(application.Name), portfolio);
        Contains($"href=\"assessments/applications/{application.Id}\"", portfolio);
        Contains($"href=\"assessments/{assessment.Id}\"", portfolio);
        Contains("id=\"new-application\"", portfolio);
        Contains("href=\"assessments/catalogs\"", portfolio);
        Contains("Fraunhofer IAIS AI Assessment Catalog", portfolio);
        Contains("Team A", details);
        Contains("data-status=\"Draft\"", details);
        Contains("id=\"edit-application\"", details);
        // An open assessment: no second one may start.
        Assert.DoesNotContain("id=\"start-assessment\"", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_assessment_home_charts_progress_with_low_dimensions_as_not_applicable_and_offers_submit_to_the_assessee()
    {
        var (_, assessment) = await StartAsync();
        var assessee = await app.ClientAsync("assessee@demo.local");
        var auditor = await app.ClientAsync("auditor@demo.local");

        var home = await assessee.GetStringAsync($"/assessments/{assessment.Id}");
        var audited = await auditor.GetStringAsync($"/assessments/{assessment.Id}");

        Contains("data-dimension=\"FN\"", home);
        Contains("n/a — low protection requirement", home);
        Contains("data-verdict=\"Incomplete\"", home);
        Contains("Rate the protection requirement of Data Protection", home);
        Contains("id=\"submit\"", home);
        // Guided: the next open item is one click away (the second profile item; the first is answered).
        Contains("id=\"continue\"", home);
        Contains("Continue with PF-T-ST-01", home);
        Contains($"href=\"assessments/{assessment.Id}/report\"", home);
        Contains($"href=\"api/assessments/{assessment.Id}/export.csv\"", home);
        // The auditor cannot fill a draft nor review it before it is submitted.
        Assert.DoesNotContain("id=\"submit\"", audited, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"request-changes\"", audited, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_dimension_and_risk_area_pages_show_the_items_their_answers_and_comments()
    {
        var (_, assessment) = await StartAsync();
        var client = await app.ClientAsync("assessee@demo.local");

        var profile = await client.GetStringAsync($"/assessments/{assessment.Id}/profile");
        var reliability = await client.GetStringAsync($"/assessments/{assessment.Id}/dimensions/RE");
        var fairness = await client.GetStringAsync($"/assessments/{assessment.Id}/dimensions/FN");
        var standardCases = await client.GetStringAsync($"/assessments/{assessment.Id}/risk-areas/RE-R-SC");
        var skipped = await client.GetStringAsync($"/assessments/{assessment.Id}/risk-areas/FN-R-FN");

        Contains("data-item=\"PF-T-FA-01\"", profile);
        Contains("Routes support tickets to teams.", profile);
        Contains("Name the teams.", profile);
        Contains("1 / 2 answered", profile);
        Contains("Low is not available", reliability);
        Contains("Misrouting costs time.", reliability);
        Contains("data-risk-area=\"RE-R-SC\"", reliability);
        Contains("not applicable (protection requirement low)", fairness);
        Contains("data-aspect=\"CR\"", standardCases);
        Contains("value=\"Accuracy\"", standardCases);
        Contains("data-outcome=\"Pass\"", standardCases);
        Contains($"href=\"assessments/{assessment.Id}/risk-areas/RE-R-RO\"", standardCases);
        Contains("Next: Robustness", standardCases);
        Contains("id=\"risk-area-not-applicable\"", skipped);
        Assert.DoesNotContain("data-aspect=", skipped, StringComparison.Ordinal);
    }

    private async Task<uint> VersionAsync(int assessmentId) => (await Service.LoadAsync(assessmentId)).Assessment.RowVersion;

    /// <summary>Completes what <see cref="StartAsync"/> left open (Reliability negligible: trustworthy) and submits it.</summary>
    private async Task FillAndSubmitAsync(Assessment assessment)
    {
        var sam = Users.Assessee;
        Task Answer(string code, string? text = null, ProtectionLevel? protection = null, string? justification = null,
            Fulfilment? fulfilment = null, ResidualRisk? residual = null) =>
            Service.SaveAnswerAsync(sam, assessment.Id, new AnswerEdit(code, null, text, protection, justification, fulfilment, residual));
        await Answer("PF-T-ST-01", text: "A fine-tuned transformer.");
        await Answer("DP-P", protection: ProtectionLevel.Low, justification: "No personal data.");
        await Answer("RE-R-SC-RI-01", text: "Tickets routed to the wrong team.");
        await Service.SaveMeasureAsync(sam, assessment.Id, new MeasureEdit(null, null, "RE-R-SC-ME-01", 2, "Held-out evaluation per release.", ["Te"], null));
        await Answer("RE-R-SC-OA", fulfilment: Fulfilment.Met);
        await Answer("RE-R-RO-RI-01", text: "Unusual wording.");
        await Answer("RE-R-RO-OA", fulfilment: Fulfilment.Met);
        await Answer("RE-S", justification: "Criteria met.", residual: ResidualRisk.Negligible);
        await Service.SubmitAsync(sam, assessment.Id, await VersionAsync(assessment.Id));
    }

    [Fact]
    public async Task Requested_changes_are_listed_on_the_home_with_links_and_the_assessee_replies_to_them()
    {
        var (_, assessment) = await StartAsync();
        await FillAndSubmitAsync(assessment);
        await Service.RequestChangesAsync(Users.Auditor, assessment.Id, await VersionAsync(assessment.Id), "Attach the evaluation report.");
        await Service.AddCommentAsync(Users.Auditor, assessment.Id, "RE-R-SC-RI-01", "Which teams are affected?", true);
        var assessee = await app.ClientAsync("assessee@demo.local");
        var auditor = await app.ClientAsync("auditor@demo.local");

        var home = await assessee.GetStringAsync($"/assessments/{assessment.Id}");
        var audited = await auditor.GetStringAsync($"/assessments/{assessment.Id}");

        Contains("data-status=\"ChangesRequested\"", home);
        Contains("2 open change request(s)", home);
        Contains("Attach the evaluation report.", home);
        Contains($"href=\"assessments/{assessment.Id}/risk-areas/RE-R-SC\">RE-R-SC-RI-01</a>", home);
        // The auditor resolves change requests; the assessee replies.
        Assert.DoesNotContain("resolve-comment", home, StringComparison.Ordinal);
        Contains("reply to each and make the change; the auditor resolves them in the review", home);
        Contains("resolve-comment", audited);
        Contains("id=\"submit\"", home);
        // Changes requested: the auditor waits for the next submission.
        Assert.DoesNotContain("id=\"sign-off-overall\"", audited, StringComparison.Ordinal);

        // Replied to and resubmitted: in review the requests still block RE's and the overall sign-off, which are not offered.
        await Service.AddCommentAsync(Users.Assessee, assessment.Id, "RE-R-SC-RI-01", "The billing and support teams.", false);
        await Service.AddCommentAsync(Users.Assessee, assessment.Id, "", "Attached.", false);
        await Service.SubmitAsync(Users.Assessee, assessment.Id, await VersionAsync(assessment.Id));
        audited = await auditor.GetStringAsync($"/assessments/{assessment.Id}");
        Assert.DoesNotContain("id=\"sign-off-overall\"", audited, StringComparison.Ordinal);
        Contains("id=\"sign-off-overall-blocked\"", audited);
        Contains("Reliability has unresolved change requests (RE-R-SC-RI-01)", audited);
        Assert.DoesNotContain("Sign off RE<", audited, StringComparison.Ordinal);
        Contains("Sign off DP", audited);
    }

    [Fact]
    public async Task A_next_cycle_shows_how_many_items_were_carried_over_and_offers_to_confirm_each_and_the_closed_one_is_locked()
    {
        var (application, assessment) = await StartAsync();
        await FillAndSubmitAsync(assessment);
        foreach (var dimension in new[] { "FN", "RE", "DP" })
        {
            await Service.SignOffDimensionAsync(Users.Auditor, assessment.Id, await VersionAsync(assessment.Id), dimension, "Checked.");
        }
        await Service.SignOffOverallAsync(Users.Auditor, assessment.Id, await VersionAsync(assessment.Id), "Reviewed.");
        await Service.CloseAsync(Users.Authority, assessment.Id, await VersionAsync(assessment.Id), "Accepted.");
        var next = await Service.StartNextCycleAsync(Users.Assessee, application.Id);
        var client = await app.ClientAsync("assessee@demo.local");

        var closed = await client.GetStringAsync($"/assessments/{assessment.Id}");
        var home = await client.GetStringAsync($"/assessments/{next.Id}");
        var standardCases = await client.GetStringAsync($"/assessments/{next.Id}/risk-areas/RE-R-SC");

        Contains("id=\"locked-banner\"", closed);
        Contains("id=\"start-new-version\"", closed);
        Assert.DoesNotContain("id=\"submit\"", closed, StringComparison.Ordinal);
        Contains("item(s) carried over from cycle 1 — review them", home);
        Contains("carried over — review it", standardCases);
        Contains("Confirm unchanged", standardCases);
        Contains("Held-out evaluation per release.", standardCases);
    }

    [Fact]
    public async Task A_missing_assessment_or_application_is_said_so_not_an_error_page()
    {
        var client = await app.ClientAsync("assessee@demo.local");

        var assessment = await client.GetAsync("/assessments/987654");
        var application = await client.GetStringAsync("/assessments/applications/987654");

        Assert.Equal(HttpStatusCode.OK, assessment.StatusCode);
        Contains("There is no assessment 987654", await assessment.Content.ReadAsStringAsync());
        Contains("There is no AI application 987654", application);
    }
}
