using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;
using WebApp.Domain.Uploads;
using WebApp.Web.Assessments;

namespace WebApp.IntegrationTests.Assessments;

/// <summary>The assessment service against PostgreSQL: the procedure's rules, the workflow and roles, concurrency, copies, evidence.</summary>
public class AssessmentServiceTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly ClaimsPrincipal Sam = Users.Assessee;
    private AssessmentService Service => app.Services.GetRequiredService<AssessmentService>();

    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    private async Task<(int CatalogId, string Key)> CatalogAsync()
    {
        var key = $"test-{Guid.NewGuid():N}";
        await using var db = await DbAsync();
        return (await TestCatalog.InsertAsync(db, TestCatalog.Definition(key, "1")), key);
    }

    private async Task<Assessment> StartAsync()
    {
        var (catalogId, _) = await CatalogAsync();
        var application = await Service.CreateApplicationAsync(Sam, $"App {Guid.NewGuid():N}", "Team A", "Classifies tickets.");
        return await Service.StartAssessmentAsync(Sam, application.Id, catalogId);
    }

    private async Task<uint> RowVersionAsync(int assessmentId)
    {
        await using var db = await DbAsync();
        return await db.Assessments.Where(a => a.Id == assessmentId).Select(a => a.RowVersion).SingleAsync();
    }

    private async Task<uint?> AnswerVersionAsync(int assessmentId, string code)
    {
        await using var db = await DbAsync();
        return await db.AssessmentAnswers.Where(a => a.AssessmentId == assessmentId && a.ItemCode == code).Select(a => (uint?)a.RowVersion).SingleOrDefaultAsync();
    }

    private Task<AssessmentAnswer> Answer(int assessmentId, string code, uint? version = null, string? text = null, ProtectionLevel? protection = null,
        string? justification = null, Fulfilment? fulfilment = null, ResidualRisk? residual = null, ClaimsPrincipal? user = null) =>
        Service.SaveAnswerAsync(user ?? Sam, assessmentId, new AnswerEdit(code, version, text, protection, justification, fulfilment, residual));

    /// <summary>Every applicable item complete: FN and DP low, RE medium with negligible residual risk (verdict: trustworthy).</summary>
    private async Task<AssessmentMeasure> FillAsync(int id, ClaimsPrincipal? user = null)
    {
        user ??= Sam;
        await Answer(id, "PF-T-FA-01", text: "Routes support tickets.", user: user);
        await Answer(id, "PF-T-ST-01", text: "A fine-tuned transformer.", user: user);
        await Answer(id, "FN-P", protection: ProtectionLevel.Low, justification: "No decisions about people.", user: user);
        await Answer(id, "DP-P", protection: ProtectionLevel.Low, justification: "No personal data.", user: user);
        await Answer(id, "RE-P", protection: ProtectionLevel.Medium, justification: "Misrouted tickets cost time.", user: user);
        await Answer(id, "RE-R-SC-RI-01", text: "Tickets routed to the wrong team.", user: user);
        await Service.SaveCriterionAsync(user, id, new CriterionEdit(null, null, "RE-R-SC-CR-01", "Accuracy", 0.9, null, "", "Below 90 % queues overflow.",
            0.93, null, null, null, Fulfilment.Met));
        var measure = await Service.SaveMeasureAsync(user, id, new MeasureEdit(null, null, "RE-R-SC-ME-01", 2, "Held-out evaluation per release.", ["Te"], null));
        await Answer(id, "RE-R-SC-OA", fulfilment: Fulfilment.Met, user: user);
        await Answer(id, "RE-R-RO-RI-01", text: "Unusual wording.", user: user);
        await Answer(id, "RE-R-RO-OA", fulfilment: Fulfilment.Met, user: user);
        await Answer(id, "RE-S", justification: "Criteria met; a human re-routes errors.", residual: ResidualRisk.Negligible, user: user);
        return measure;
    }

    private async Task SignOffAllAsync(int id, ClaimsPrincipal auditor)
    {
        foreach (var dimension in new[] { "FN", "RE", "DP" })
        {
            await Service.SignOffDimensionAsync(auditor, id, await RowVersionAsync(id), dimension, $"{dimension} checked.");
        }
        await Service.SignOffOverallAsync(auditor, id, await RowVersionAsync(id), "Reviewed.");
    }

    private async Task<Assessment> ClosedAsync(Func<int, Task>? extra = null)
    {
        var assessment = await StartAsync();
        await FillAsync(assessment.Id);
        if (extra is not null) await extra(assessment.Id);
        await Service.SubmitAsync(Sam, assessment.Id, await RowVersionAsync(assessment.Id));
        await SignOffAllAsync(assessment.Id, Users.Auditor);
        await Service.CloseAsync(Users.Authority, assessment.Id, await RowVersionAsync(assessment.Id), "Accepted.");
        return assessment;
    }

    [Fact]
    public async Task Applications_are_created_listed_renamed_and_a_duplicate_name_is_refused()
    {
        var name = $"Ticket router {Guid.NewGuid():N}";
        var created = await Service.CreateApplicationAsync(Sam, name, "Team A", "Routes tickets.");

        var duplicate = await Assert.ThrowsAsync<AssessmentException>(() => Service.CreateApplicationAsync(Sam, name.ToUpperInvariant(), "B", ""));
        Assert.Contains("already exists", duplicate.Message);
        await Assert.ThrowsAsync<AssessmentException>(() => Service.CreateApplicationAsync(Users.Auditor, $"{name} 2", "B", ""));

        var renamed = await Service.UpdateApplicationAsync(Sam, created.Id, created.RowVersion, $"{name} v2", "Team B", "Routes tickets.");
        var stale = await Assert.ThrowsAsync<AssessmentConflictException>(() =>
            Service.UpdateApplicationAsync(Sam, created.Id, created.RowVersion, $"{name} v3", "Team C", ""));
        Assert.Contains("Sam Assessee", stale.Message);

        var listed = Assert.Single(await Service.ListApplicationsAsync(), s => s.Application.Id == created.Id);
        Assert.Equal(($"{name} v2", "Team B", 0, (Assessment?)null), (listed.Application.Name, listed.Application.Owner, listed.Assessments, listed.Latest));
        Assert.NotEqual(created.RowVersion, renamed.RowVersion);
        var (catalogId, _) = await CatalogAsync();
        var started = await Service.StartAssessmentAsync(Sam, created.Id, catalogId);
        Assert.Equal((1, 1, AssessmentStatus.Draft), (started.Cycle, started.Version, started.Status));
        var again = await Assert.ThrowsAsync<AssessmentException>(() => Service.StartAssessmentAsync(Sam, created.Id, catalogId));
        Assert.Contains("already has an open assessment", again.Message);
        listed = Assert.Single(await Service.ListApplicationsAsync(), s => s.Application.Id == created.Id);
        Assert.Equal((1, started.Id), (listed.Assessments, listed.Latest?.Id));
    }

    [Fact]
    public async Task Without_a_catalog_given_the_built_in_catalog_is_used_and_its_rules_apply()
    {
        var application = await Service.CreateApplicationAsync(Sam, $"Built-in {Guid.NewGuid():N}", "Team A", "");
        var a = await Service.StartAssessmentAsync(Sam, application.Id);

        var view = await Service.LoadAsync(a.Id);
        Assert.Equal(BuiltInCatalog.Key, view.Catalog.Key);
        Assert.Contains("Reliability cannot be low", (await Assert.ThrowsAsync<AssessmentException>(() =>
            Answer(a.Id, "RE-P", protection: ProtectionLevel.Low, justification: "Nothing at stake."))).Message);
        var fairness = await Answer(a.Id, "FN-P", protection: ProtectionLevel.High, justification: "Decisions about people.");
        Assert.Equal(ProtectionLevel.High, fairness.Protection);
    }

    [Fact]
    public async Task Answers_are_saved_with_their_history_and_the_catalog_rules_refuse_what_does_not_fit()
    {
        var a = await StartAsync();
        var first = await Answer(a.Id, "PF-T-FA-01", text: "Routes tickets.");
        var second = await Answer(a.Id, "PF-T-FA-01", first.RowVersion, text: "Routes support tickets.");
        Assert.Equal("Routes support tickets.", second.Text);
        var history = await Service.ItemHistoryAsync(a.Id, "PF-T-FA-01");
        Assert.Equal(2, history.Count);
        Assert.All(history, r => Assert.Equal(("assessment.answer.save", "Sam Assessee", $"{a.Id}:PF-T-FA-01"), (r.Action, r.UserName, r.EntityId)));
        Assert.Contains("Routes support tickets.", history[0].After);

        async Task Refused(Func<Task> edit, string expected) =>
            Assert.Contains(expected, (await Assert.ThrowsAsync<AssessmentException>(edit)).Message);

        await Refused(() => Answer(a.Id, "RE-P", protection: ProtectionLevel.Low, justification: "Nothing at stake."), "Reliability cannot be low");
        await Refused(() => Answer(a.Id, "FN-P", protection: ProtectionLevel.High), "Justify the protection requirement of Fairness");
        await Refused(() => Answer(a.Id, "PF-T-FA-01", text: "x", protection: ProtectionLevel.High, justification: "j"), "not on PF-T-FA-01");
        await Refused(() => Answer(a.Id, "FN-P", protection: ProtectionLevel.High, justification: "j", residual: ResidualRisk.Negligible), "not on FN-P");
        await Refused(() => Answer(a.Id, "RE-R-SC-RI-01", text: "x", fulfilment: Fulfilment.Met), "not on RE-R-SC-RI-01");
        await Refused(() => Answer(a.Id, "XX-P", protection: ProtectionLevel.High, justification: "j"), "is not an item");
        await Refused(() => Service.SaveCriterionAsync(Sam, a.Id, new CriterionEdit(null, null, "RE-R-SC-ME-01", "Accuracy", 0.9, null, "", "j",
            null, null, null, null, null)), "not a criteria (CR) requirement");
        await Refused(() => Service.SaveCriterionAsync(Sam, a.Id, new CriterionEdit(null, null, "RE-R-SC-CR-01", "Accuracy", 0.9, 0.5, "", "j",
            null, null, null, null, null)), "is empty");
        await Refused(() => Service.SaveMeasureAsync(Sam, a.Id, new MeasureEdit(null, null, "RE-R-SC-CR-01", 2, "d", ["Te"], null)),
            "not a measures (ME) requirement");
        await Refused(() => Service.SaveMeasureAsync(Sam, a.Id, new MeasureEdit(null, null, "RE-R-SC-ME-01", 5, "d", ["Te"], null)), "life-cycle stage");
        await Refused(() => Service.SaveMeasureAsync(Sam, a.Id, new MeasureEdit(null, null, "RE-R-SC-ME-01", 2, "d", ["Xx"], null)), "Evidence kinds");
        await Refused(() => Service.SaveMeasureAsync(Sam, a.Id, new MeasureEdit(null, null, "RE-R-SC-ME-01", 2, "", [], "RE-R-ZZ")),
            "not another risk area");
        var pointer = await Service.SaveMeasureAsync(Sam, a.Id, new MeasureEdit(null, null, "RE-R-SC-ME-01", 2, "", [], "RE-R-RO"));
        Assert.Equal("RE-R-RO", pointer.ReferencedRiskArea);
        await Refused(() => Service.SaveCriterionAsync(Sam, a.Id, new CriterionEdit(null, null, "RE-R-SC-CR-01", "F1", 0.8, null, "", "j",
            null, MetricSourceKind.RelationModel, 987654321, "heldOut.maxF1", null)), "does not exist");

        var valid = await Answer(a.Id, "RE-P", protection: ProtectionLevel.High, justification: "Tickets are time-critical.");
        Assert.Equal(ProtectionLevel.High, valid.Protection);
        Assert.Null(await AnswerVersionAsync(a.Id, "FN-P"));
    }

    [Fact]
    public async Task A_stale_save_is_refused_with_who_changed_it_and_the_first_save_is_kept()
    {
        var a = await StartAsync();
        var loaded = (await Answer(a.Id, "FN-P", protection: ProtectionLevel.Medium, justification: "Some users.")).RowVersion;
        await Answer(a.Id, "FN-P", loaded, protection: ProtectionLevel.High, justification: "Many users.");

        var conflict = await Assert.ThrowsAsync<AssessmentConflictException>(() =>
            Answer(a.Id, "FN-P", loaded, protection: ProtectionLevel.Low, justification: "None.", user: Users.OtherAssessee));
        Assert.Matches(@"^FN-P was changed by Sam Assessee at \d\d:\d\d UTC after you loaded it; your change was not saved\. Reload to see it\.$", conflict.Message);
        var created = await Assert.ThrowsAsync<AssessmentConflictException>(() =>
            Answer(a.Id, "FN-P", null, protection: ProtectionLevel.Low, justification: "None.", user: Users.OtherAssessee));
        Assert.Contains("changed by Sam Assessee", created.Message);

        // Two saves racing with the same loaded version: the database lets exactly one through.
        var current = await AnswerVersionAsync(a.Id, "FN-P");
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            try
            {
                await Answer(a.Id, "FN-P", current, protection: ProtectionLevel.Medium, justification: $"Race {i}.");
                return true;
            }
            catch (AssessmentConflictException)
            {
                return false;
            }
        }));
        Assert.Single(results, r => r);

        var criterion = await Service.SaveCriterionAsync(Sam, a.Id,
            new CriterionEdit(null, null, "RE-R-SC-CR-01", "Accuracy", 0.9, null, "", "j", null, null, null, null, null));
        await Service.SaveCriterionAsync(Sam, a.Id, new CriterionEdit(criterion.Id, criterion.RowVersion, "RE-R-SC-CR-01", "Accuracy", 0.95,
            null, "", "j", null, null, null, null, null));
        var stale = await Assert.ThrowsAsync<AssessmentConflictException>(() =>
            Service.DeleteCriterionAsync(Users.OtherAssessee, criterion.Id, criterion.RowVersion));
        Assert.Contains("The criterion 'Accuracy' (RE-R-SC-CR-01) was changed by Sam Assessee", stale.Message);
        await using var db = await DbAsync();
        Assert.StartsWith("Race", (await db.AssessmentAnswers.SingleAsync(x => x.AssessmentId == a.Id && x.ItemCode == "FN-P")).Justification);
        Assert.Equal(0.95, (await db.AssessmentCriteria.SingleAsync(x => x.AssessmentId == a.Id)).TargetMin);
    }

    [Fact]
    public async Task Each_role_may_do_only_its_part()
    {
        var a = await StartAsync();
        Assert.Contains("Only an assessee", (await Assert.ThrowsAsync<AssessmentException>(() =>
            Answer(a.Id, "PF-T-FA-01", text: "x", user: Users.Auditor))).Message);
        await Assert.ThrowsAsync<AssessmentException>(() => Answer(a.Id, "PF-T-FA-01", text: "x", user: Users.Authority));
        await FillAsync(a.Id);
        await Assert.ThrowsAsync<AssessmentException>(() => Service.SubmitAsync(Users.Auditor, a.Id, 0));
        await Service.SubmitAsync(Sam, a.Id, await RowVersionAsync(a.Id));
        var version = await RowVersionAsync(a.Id);
        Assert.Contains("Only an auditor may sign off", (await Assert.ThrowsAsync<AssessmentException>(() =>
            Service.SignOffDimensionAsync(Sam, a.Id, version, "FN", ""))).Message);
        await Assert.ThrowsAsync<AssessmentException>(() => Service.RequestChangesAsync(Sam, a.Id, version, "Please change."));
        await Assert.ThrowsAsync<AssessmentException>(() => Service.AddCommentAsync(Sam, a.Id, "FN-P", "Please change.", isChangeRequest: true));
        await Service.AddCommentAsync(Sam, a.Id, "FN-P", "Low because no people are affected.", isChangeRequest: false);
        await Assert.ThrowsAsync<AssessmentException>(() => Service.CloseAsync(Users.Auditor, a.Id, version, ""));
        await SignOffAllAsync(a.Id, Users.Auditor);
        Assert.Contains("Only the accountable authority", (await Assert.ThrowsAsync<AssessmentException>(() =>
            Service.CloseAsync(Users.Auditor, a.Id, version, ""))).Message);
    }

    [Fact]
    public async Task An_auditor_who_filled_in_the_assessment_cannot_sign_it_off()
    {
        var a = await StartAsync();
        await FillAsync(a.Id);
        await Answer(a.Id, "PF-T-FA-01", await AnswerVersionAsync(a.Id, "PF-T-FA-01"), text: "Routes tickets by team.", user: Users.Dual);
        await Service.SubmitAsync(Sam, a.Id, await RowVersionAsync(a.Id));
        var refused = await Assert.ThrowsAsync<AssessmentException>(async () =>
            await Service.SignOffDimensionAsync(Users.Dual, a.Id, await RowVersionAsync(a.Id), "FN", ""));
        Assert.Contains("another auditor must sign it off", refused.Message);
        await SignOffAllAsync(a.Id, Users.Auditor);
    }

    [Fact]
    public async Task Submission_lists_the_open_items()
    {
        var a = await StartAsync();
        await Answer(a.Id, "PF-T-FA-01", text: "Routes tickets.");
        var refused = await Assert.ThrowsAsync<AssessmentException>(async () => await Service.SubmitAsync(Sam, a.Id, await RowVersionAsync(a.Id)));
        Assert.Equal("The assessment is not complete: 4 open items (PF-T-ST-01, FN-P, RE-P, DP-P). Complete them before submitting.", refused.Message);
        await Answer(a.Id, "RE-P", protection: ProtectionLevel.Medium, justification: "j");
        refused = await Assert.ThrowsAsync<AssessmentException>(async () => await Service.SubmitAsync(Sam, a.Id, await RowVersionAsync(a.Id)));
        Assert.StartsWith("The assessment is not complete: 10 open items (PF-T-ST-01, FN-P, RE-R-SC-RI-01, RE-R-SC-CR-01, RE-R-SC-ME-01, …)", refused.Message);
        Assert.Equal(AssessmentStatus.Draft, (await Service.ListAssessmentsAsync(a.ApplicationId))[0].Status);
    }

    [Fact]
    public async Task The_whole_workflow_reaches_closed_with_the_verdict_and_locks_the_assessment()
    {
        var a = await StartAsync();
        await FillAsync(a.Id);
        await Service.SubmitAsync(Sam, a.Id, await RowVersionAsync(a.Id));
        Assert.Contains("in review", (await Assert.ThrowsAsync<AssessmentException>(() =>
            Answer(a.Id, "PF-T-FA-01", text: "x"))).Message);

        var request = await Service.AddCommentAsync(Users.Auditor, a.Id, "RE-R-SC-RI-01", "Name the failure modes.", isChangeRequest: true);
        Assert.Contains("unresolved change requests (RE-R-SC-RI-01)", (await Assert.ThrowsAsync<AssessmentException>(async () =>
            await Service.SignOffDimensionAsync(Users.Auditor, a.Id, await RowVersionAsync(a.Id), "RE", ""))).Message);
        await Service.SignOffDimensionAsync(Users.Auditor, a.Id, await RowVersionAsync(a.Id), "FN", "Low confirmed.");
        var beforeRequest = await RowVersionAsync(a.Id);
        await Service.RequestChangesAsync(Users.Auditor, a.Id, beforeRequest, "See my comment on RE-R-SC-RI-01.");
        var stale = await Assert.ThrowsAsync<AssessmentConflictException>(() => Service.SubmitAsync(Sam, a.Id, beforeRequest));
        Assert.Contains("changed by Alex Auditor", stale.Message);

        await Answer(a.Id, "RE-R-SC-RI-01", await AnswerVersionAsync(a.Id, "RE-R-SC-RI-01"), text: "Misrouting; silent drift of ticket topics.");
        // A change to a signed-off dimension (FN) withdraws its sign-off: the auditor signs it again.
        await Answer(a.Id, "FN-P", await AnswerVersionAsync(a.Id, "FN-P"), protection: ProtectionLevel.Low, justification: "No decisions about people at all.");
        Assert.Contains("Reply to the auditor's change requests first (RE-R-SC-RI-01, the assessment)", (await Assert.ThrowsAsync<AssessmentException>(async () =>
            await Service.SubmitAsync(Sam, a.Id, await RowVersionAsync(a.Id)))).Message);
        // Only the auditor resolves a change request, even when the assessee asks the service directly: the assessee replies.
        Assert.Contains("Only the auditor resolves a change request", (await Assert.ThrowsAsync<AssessmentException>(() =>
            Service.ResolveCommentAsync(Sam, request.Id))).Message);
        await Service.AddCommentAsync(Sam, a.Id, "RE-R-SC-RI-01", "Named them: misrouting and drift.", isChangeRequest: false);
        await Service.AddCommentAsync(Sam, a.Id, "", "Done, see RE-R-SC-RI-01.", isChangeRequest: false);
        await Service.SubmitAsync(Sam, a.Id, await RowVersionAsync(a.Id));
        // Back in review, the auditor's requests still block the sign-off of RE (and overall) until the auditor resolves them.
        Assert.Contains("unresolved change requests (RE-R-SC-RI-01)", (await Assert.ThrowsAsync<AssessmentException>(async () =>
            await Service.SignOffDimensionAsync(Users.Auditor, a.Id, await RowVersionAsync(a.Id), "RE", ""))).Message);
        await Service.ResolveCommentAsync(Users.Auditor, request.Id);
        await using (var db = await DbAsync())
        {
            var general = await db.AssessmentComments.SingleAsync(c => c.AssessmentId == a.Id && c.ItemCode == "" && c.IsChangeRequest);
            await Service.ResolveCommentAsync(Users.Auditor, general.Id);
        }
        await Assert.ThrowsAsync<AssessmentConflictException>(() => Service.ResolveCommentAsync(Users.Auditor, request.Id));

        await Service.SignOffDimensionAsync(Users.Auditor, a.Id, await RowVersionAsync(a.Id), "RE", "Criteria and tests convincing.");
        Assert.Contains("already signed off by Alex Auditor", (await Assert.ThrowsAsync<AssessmentException>(async () =>
            await Service.SignOffDimensionAsync(Users.Auditor, a.Id, await RowVersionAsync(a.Id), "RE", ""))).Message);
        await Service.SignOffDimensionAsync(Users.Auditor, a.Id, await RowVersionAsync(a.Id), "FN", "Low confirmed again.");
        Assert.Contains("still open: Data Protection (DP)", (await Assert.ThrowsAsync<AssessmentException>(async () =>
            await Service.SignOffOverallAsync(Users.Auditor, a.Id, await RowVersionAsync(a.Id), ""))).Message);
        await Service.SignOffDimensionAsync(Users.Auditor, a.Id, await RowVersionAsync(a.Id), "DP", "No personal data: low confirmed.");
        await Service.SignOffOverallAsync(Users.Auditor, a.Id, await RowVersionAsync(a.Id), "Reviewed.");

        Assert.Equal("This assessment is signed and locked; start a new version to change it.",
            (await Assert.ThrowsAsync<AssessmentException>(() => Answer(a.Id, "PF-T-FA-01", text: "x"))).Message);
        await Service.CloseAsync(Users.Authority, a.Id, await RowVersionAsync(a.Id), "We own the residual risk.");

        var closed = (await Service.ListAssessmentsAsync(a.ApplicationId))[0];
        Assert.Equal((AssessmentStatus.Closed, Verdict.Trustworthy), (closed.Status, closed.VerdictAtClose));
        Assert.NotNull(closed.ClosedAt);
        await using (var db = await DbAsync())
        {
            Assert.Equal(["DP", "FN", "RE", "authority", "overall"],
                (await db.AssessmentSignOffs.Where(s => s.AssessmentId == a.Id).Select(s => s.Scope).ToListAsync()).Order(StringComparer.Ordinal));
        }
        var view = await Service.LoadAsync(a.Id);
        Assert.Equal(Verdict.Trustworthy, view.Evaluation.Verdict.Verdict);
        Assert.Equal(5, view.SignOffs.Count);
        Assert.Empty(view.ChangedSincePrevious);
        Assert.True((await app.Services.GetRequiredService<AuditChainVerifier>().VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task A_new_version_supersedes_the_signed_one_and_flags_what_changed()
    {
        var closed = await ClosedAsync();
        await Assert.ThrowsAsync<AssessmentException>(() => Service.StartNextCycleAsync(Users.Auditor, closed.ApplicationId));
        var next = await Service.StartNewVersionAsync(Sam, closed.Id);
        Assert.Equal((closed.Cycle, 2, closed.Id, AssessmentStatus.Draft), (next.Cycle, next.Version, next.PreviousId, next.Status));
        Assert.Contains("edit it as it is", (await Assert.ThrowsAsync<AssessmentException>(() => Service.StartNewVersionAsync(Sam, next.Id))).Message);

        var view = await Service.LoadAsync(next.Id);
        Assert.Equal(AssessmentStatus.Superseded, (await Service.ListAssessmentsAsync(closed.ApplicationId)).Single(x => x.Id == closed.Id).Status);
        Assert.Equal(10, view.Answers.Count);
        Assert.All(view.Answers.Values, x => Assert.False(x.CarriedOver));
        Assert.Single(view.Criteria);
        Assert.Empty(view.ChangedSincePrevious);

        await Answer(next.Id, "RE-R-SC-RI-01", view.Answers["RE-R-SC-RI-01"].RowVersion, text: "Misrouting and topic drift.");
        var criterion = view.Criteria[0];
        await Service.SaveCriterionAsync(Sam, next.Id, new CriterionEdit(criterion.Id, criterion.RowVersion, criterion.RequirementCode, criterion.Kpi,
            criterion.TargetMin, criterion.TargetMax, criterion.Unit, criterion.Justification, criterion.ManualValue, null, null, null, criterion.Fulfilment));
        Assert.Equal(["RE-R-SC-RI-01"], (await Service.LoadAsync(next.Id)).ChangedSincePrevious);
    }

    [Fact]
    public async Task The_next_cycle_carries_everything_over_to_the_newest_catalog_and_drops_what_it_no_longer_has()
    {
        Guid fileId = default;
        var closed = await ClosedAsync(async id =>
        {
            await Answer(id, "FN-R-FN-RI-01", text: "Not examined: low.");
            var measure = (await Service.LoadAsync(id)).Measures[0];
            fileId = (await Service.AddFileEvidenceAsync(Sam, id, new FileEvidence("RE-R-SC-ME-01", measure.Id, null, "Te", "Test report", "QA", null),
                new MemoryStream("%PDF-1.7 report"u8.ToArray()), "report.pdf")).UploadedFileId!.Value;
        });
        string key;
        await using (var db = await DbAsync())
        {
            key = await db.AssessmentCatalogs.Where(c => c.Id == closed.CatalogId).Select(c => c.Key).SingleAsync();
        }
        await using (var db = await DbAsync())
        {
            await TestCatalog.InsertAsync(db, TestCatalog.Definition(key, "2", withFairnessRisks: false));
        }

        var next = await Service.StartNextCycleAsync(Sam, closed.ApplicationId);
        Assert.Equal((2, 1, closed.Id), (next.Cycle, next.Version, next.PreviousId));
        Assert.NotEqual(closed.CatalogId, next.CatalogId);
        Assert.Contains("open assessment", (await Assert.ThrowsAsync<AssessmentException>(() => Service.StartNextCycleAsync(Sam, closed.ApplicationId))).Message);

        var view = await Service.LoadAsync(next.Id);
        Assert.DoesNotContain("FN-R-FN-RI-01", view.Answers.Keys);
        Assert.All(view.Answers.Values, x => Assert.True(x.CarriedOver));
        Assert.True(Assert.Single(view.Criteria).CarriedOver);
        var measure = Assert.Single(view.Measures);
        Assert.True(measure.CarriedOver);
        var evidence = Assert.Single(view.Evidence);
        Assert.Equal((fileId, measure.Id), (evidence.UploadedFileId!.Value, evidence.MeasureId!.Value));
        Assert.Empty(view.ChangedSincePrevious);
        var started = Assert.Single(await Service.ItemHistoryAsync(next.Id, ""), r => r.Action == "assessment.cycle.start");
        Assert.Contains("FN-R-FN-RI-01", started.After);

        var edited = await Answer(next.Id, "RE-R-SC-RI-01", view.Answers["RE-R-SC-RI-01"].RowVersion, text: "Topic drift since the new product line.");
        Assert.False(edited.CarriedOver);
        await Service.ConfirmCarriedOverAsync(Sam, next.Id, "PF-T-FA-01");
        view = await Service.LoadAsync(next.Id);
        Assert.False(view.Answers["PF-T-FA-01"].CarriedOver);
        Assert.Equal("Routes support tickets.", view.Answers["PF-T-FA-01"].Text);
        Assert.True(view.Answers["PF-T-ST-01"].CarriedOver);
        Assert.Equal(["RE-R-SC-RI-01"], view.ChangedSincePrevious);
    }

    [Fact]
    public async Task Evidence_files_are_checked_by_content_and_size_and_a_refused_file_writes_nothing()
    {
        var a = await StartAsync();
        var measure = await Service.SaveMeasureAsync(Sam, a.Id, new MeasureEdit(null, null, "RE-R-SC-ME-01", 2, "Held-out test.", ["Te"], null));
        var target = new FileEvidence("RE-R-SC-ME-01", measure.Id, null, "Te", "Test report", "QA team", new DateOnly(2027, 6, 1));
        var pdf = "%PDF-1.7\n1 0 obj\n"u8.ToArray();

        var stored = await Service.AddFileEvidenceAsync(Sam, a.Id, target, new MemoryStream(pdf), "report.pdf");
        await using (var db = await DbAsync())
        {
            var file = await db.UploadedFiles.SingleAsync(f => f.Id == stored.UploadedFileId);
            Assert.Equal(("report.pdf", "application/pdf", (long)pdf.Length), (file.FileName, file.ContentType, file.Length));
        }
        var text = await Service.AddFileEvidenceAsync(Sam, a.Id, target with { Kind = "Do" }, new MemoryStream(Encoding.UTF8.GetBytes("# Notes\nÄnderungen ✓")), "notes.md");
        Assert.Equal("Do", text.Kind);

        var files = await FileCountAsync();
        async Task Refused(Stream content, string name, string expected, FileEvidence? evidence = null) =>
            Assert.Contains(expected, (await Assert.ThrowsAsync<AssessmentException>(() =>
                Service.AddFileEvidenceAsync(Sam, a.Id, evidence ?? target, content, name))).Message);
        await Refused(new MemoryStream("MZ\x90\0"u8.ToArray()), "tool.exe", "of type .exe are not accepted");
        await Refused(new MemoryStream([0x4D, 0x5A, 0x00, 0x01, 0xFF]), "notes.txt", "contains NUL bytes");
        await Refused(new MemoryStream([0x61, 0xC3, 0x28, 0x62]), "notes.txt", "not valid UTF-8");
        await Refused(new MemoryStream(pdf), "picture.png", "is not a PNG image");
        await Refused(new MemoryStream([]), "empty.pdf", "is empty");
        var large = new byte[EvidenceFileRules.MaxBytes + 1];
        pdf.CopyTo(large, 0);
        await Refused(new MemoryStream(large), "large.pdf", "larger than the limit of 20 MiB");
        await Refused(new MemoryStream(pdf), "report.pdf", "Evidence kinds", target with { Kind = "Xx" });
        await Assert.ThrowsAsync<AssessmentException>(() => Service.AddFileEvidenceAsync(Users.Auditor, a.Id, target, new MemoryStream(pdf), "report.pdf"));
        Assert.Equal(files, await FileCountAsync());

        await Assert.ThrowsAsync<AssessmentException>(() => Service.AddLinkEvidenceAsync(Sam, a.Id,
            new LinkEvidence("RE-R-SC-ME-01", null, null, "Do", "Spec", "ftp://example.org/spec", "QA", null)));
        await Assert.ThrowsAsync<AssessmentException>(() => Service.AddLinkEvidenceAsync(Sam, a.Id,
            new LinkEvidence("RE-R-SC-ME-01", null, null, "Do", "Spec", "/docs/spec", "QA", null)));
        var link = await Service.AddLinkEvidenceAsync(Sam, a.Id, new LinkEvidence("RE-R-SC-ME-01", null, null, "Pr", "Release process",
            "https://example.org/process", "QA", null));
        Assert.Equal("https://example.org/process", link.Url);
        await Service.DeleteEvidenceAsync(Sam, link.Id);
        Assert.Equal(["assessment.evidence.delete", "assessment.evidence.add", "assessment.evidence.add", "assessment.evidence.add", "assessment.measure.save"],
            (await Service.ItemHistoryAsync(a.Id, "RE-R-SC-ME-01")).Select(r => r.Action));
    }

    [Fact]
    public async Task A_criterion_bound_to_a_model_metric_is_read_live_when_the_assessment_loads()
    {
        var a = await StartAsync();
        int versionId;
        await using (var db = await DbAsync())
        {
            var project = await RelationProjects.CreateAsync(db, $"Relations {Guid.NewGuid():N}", "", "tester", CancellationToken.None);
            var version = new ModelVersion
            {
                ProjectId = project.Id,
                Number = 1,
                Architecture = "pcnn",
                CreatedAt = DateTime.UtcNow,
                Metrics = JsonSerializer.Serialize(new ModelEvaluation(new HeldOutEvaluation(0.61, 0.9, 0.85, null, 0.55, 0.4, 120, [], []), null, [], 1),
                    JobJson.Options),
            };
            db.ModelVersions.Add(version);
            await db.SaveChangesAsync();
            versionId = version.Id;
        }
        var option = (await app.Services.GetRequiredService<ModelMetricSource>().ListAsync())
            .First(o => o.Source == MetricSourceKind.RelationModel && o.SourceId == versionId && o.Value is not null);

        var criterion = await Service.SaveCriterionAsync(Sam, a.Id, new CriterionEdit(null, null, "RE-R-SC-CR-01", option.Name, 0.5, null, "",
            "Half of the relations found is the least useful.", null, MetricSourceKind.RelationModel, versionId, option.Key, null));
        Assert.Contains("does not exist", (await Assert.ThrowsAsync<AssessmentException>(() => Service.SaveCriterionAsync(Sam, a.Id,
            new CriterionEdit(criterion.Id, criterion.RowVersion, "RE-R-SC-CR-01", option.Name, 0.5, null, "", "j", null, MetricSourceKind.RelationModel,
                versionId, "no.such.metric", null)))).Message);

        var reading = (await Service.LoadAsync(a.Id)).Metrics[criterion.Id];
        Assert.Equal((option.Key, option.Value), (reading!.Metric.Key, reading.Metric.Value));
    }

    /// <summary>Stored files and evidence rows: a refused upload adds to neither.</summary>
    private async Task<(int Files, int Evidence)> FileCountAsync()
    {
        await using var db = await DbAsync();
        return (await db.UploadedFiles.CountAsync(), await db.AssessmentEvidence.CountAsync());
    }
}
