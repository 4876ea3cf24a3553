using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;

namespace WebApp.EndToEnd;

/// <summary>
/// The assessment procedure in the browser on the built-in catalog: an assessee describes a relation extractor, rates
/// the six dimensions (Reliability medium, the others low), fills Reliability's risk areas — one criterion bound to
/// the held-out F1 of a relation model version — and submits; an auditor signs off each dimension and overall; the
/// accountable authority closes it; the report renders.
/// </summary>
public sealed class AssessmentJourneyTests(RunningApp app) : IClassFixture<RunningApp>
{
    private static readonly string[] LowDimensions = ["FN", "AC", "TR", "S", "DP"];

    /// <summary>A relation model version with a stored held-out evaluation (max F1 0.82), as training would leave it.</summary>
    private async Task<int> SeedModelAsync()
    {
        await using var db = app.Database.CreateContext();
        var project = new RelationProject { Name = "Journey relations", CreatedAt = DateTime.UtcNow, CreatedByName = "e2e" };
        db.RelationProjects.Add(project);
        await db.SaveChangesAsync();
        var evaluation = new ModelEvaluation(new HeldOutEvaluation(0.74, 0.9, null, null, 0.82, 0.41, 120, [], []), null, [], 5);
        var version = new ModelVersion
        {
            ProjectId = project.Id,
            Number = 1,
            Architecture = "pcnn-att",
            Metrics = JsonSerializer.Serialize(evaluation, JobJson.Options),
            HeldOutAuc = 0.74,
            CreatedAt = DateTime.UtcNow,
            CreatedByName = "e2e",
        };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync();
        return version.Id;
    }

    [Fact]
    public async Task An_assessee_fills_the_catalog_with_a_criterion_bound_to_a_model_metric_an_auditor_signs_it_off_and_the_authority_closes_it()
    {
        await SeedModelAsync();
        var page = await app.SignInAsync("assessee@demo.local", "/assessments");
        try
        {
            await page.ClickAsync("#new-application");
            await page.FillAsync("#application-name", "Relation extractor");
            await page.FillAsync("#application-owner", "Text mining team");
            await page.ClickAsync("#create-application");
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/assessments/applications/\d+$"));
            await page.ClickAsync("#start-assessment");
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/assessments/\d+$"));
            var id = int.Parse(page.Url.Split('/')[^1], CultureInfo.InvariantCulture);
            await page.WaitForSelectorAsync("#progress-chart");

            await OpenAsync(page, $"/assessments/{id}/profile");
            await AnswerEveryItemAsync(page);

            foreach (var dimension in LowDimensions.Append("RE"))
            {
                await OpenAsync(page, $"/assessments/{id}/dimensions/{dimension}");
                var level = dimension == "RE" ? "Medium" : "Low";
                await page.Locator($"input[data-level={level}]").DispatchEventAsync("click");
                await page.FillAsync(".protection-justification textarea", dimension == "RE"
                    ? "Wrong relations end up in analysts' reports."
                    : "The extractor makes no decisions about people and handles no personal data beyond public text.");
                await page.ClickAsync(".save-protection");
                await page.WaitForSelectorAsync(".item-panel[data-item$='-P'] .item-complete");
                // Saving says so.
                await page.WaitForSelectorAsync($".mud-snackbar:has-text('Protection requirement of') >> text={level.ToLowerInvariant()}");
            }
            await OpenAsync(page, $"/assessments/{id}/dimensions/FN");
            await page.WaitForSelectorAsync(".risk-area-na");

            // Reliability in standard cases: the first criterion is bound to the model's held-out max F1.
            await OpenAsync(page, $"/assessments/{id}/risk-areas/RE-R-SC");
            var criterionItem = page.Locator(".item-panel[data-item*='-CR-']").First;
            await criterionItem.Locator(".add-criterion").ClickAsync();
            var editor = criterionItem.Locator(".criterion-editor[data-criterion='new']");
            await editor.Locator(".criterion-kpi input").FillAsync("Held-out max F1");
            await editor.Locator(".criterion-min input").FillAsync("0.7");
            await editor.Locator(".criterion-max input").FillAsync("1");
            await editor.Locator(".criterion-unit input").FillAsync("F1");
            await editor.Locator(".criterion-justification textarea").FillAsync("Below 0.7 analysts spend more time correcting than reading.");
            await editor.Locator("input[data-source=metric]").DispatchEventAsync("click");
            await editor.Locator(".criterion-metric").ClickAsync();
            await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('Held-out max F1')");
            await editor.Locator(".save-criterion").ClickAsync();
            var saved = criterionItem.Locator(".criterion-editor:not([data-criterion='new'])");
            await saved.Locator(".criterion-outcome[data-outcome='Pass']").WaitForAsync();
            Assert.Contains("Journey relations", await saved.Locator(".metric-source").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("0.82", await saved.Locator(".criterion-outcome").InnerTextAsync(), StringComparison.Ordinal);
            await RunningApp.ScreenshotAsync(page, "assessment-criterion");
            await AnswerEveryItemAsync(page);

            foreach (var area in new[] { "RE-R-RO", "RE-R-IM", "RE-R-UE", "RE-R-CD" })
            {
                await OpenAsync(page, $"/assessments/{id}/risk-areas/{area}");
                await AnswerEveryItemAsync(page);
            }

            await OpenAsync(page, $"/assessments/{id}/dimensions/RE");
            await page.Locator("input[data-risk=Negligible]").DispatchEventAsync("click");
            await page.FillAsync(".residual-explanation textarea", "The criteria are met and analysts review every extracted relation.");
            await page.ClickAsync(".save-summary");
            await page.WaitForSelectorAsync(".item-panel[data-item='RE-S'] .item-complete");
            await RunningApp.ScreenshotAsync(page, "assessment-dimension");

            await OpenAsync(page, $"/assessments/{id}");
            await page.WaitForSelectorAsync("#verdict .verdict-chip[data-verdict='Trustworthy']");
            await page.ClickAsync("#submit");
            await page.WaitForSelectorAsync(".status-chip[data-status='InReview']");
            await RunningApp.ScreenshotAsync(page, "assessment-submitted");

            var auditor = await app.SignInAsync("auditor@demo.local", $"/assessments/{id}");
            await auditor.WaitForSelectorAsync("#progress-chart");

            // The auditor asks for a change on a Reliability item: RE's and the overall sign-off are not offered while it is open.
            await OpenAsync(auditor, $"/assessments/{id}/risk-areas/RE-R-SC");
            var thread = auditor.Locator(".item-thread[data-thread='RE-R-SC-RI-01']");
            await thread.Locator(".add-comment").ClickAsync();
            await thread.Locator(".comment-text textarea").FillAsync("Name the failure modes.");
            await thread.Locator(".comment-change-request input").CheckAsync();
            await thread.Locator(".save-comment").ClickAsync();
            await thread.Locator(".resolve-comment").WaitForAsync();
            await OpenAsync(auditor, $"/assessments/{id}");
            await auditor.WaitForSelectorAsync(".sign-off-blocked[data-dimension='RE']");
            Assert.Equal(0, await auditor.Locator(".dimension-card[data-dimension='RE'] .sign-off-dimension").CountAsync());
            Assert.Equal(0, await auditor.Locator("#sign-off-overall").CountAsync());
            Assert.Contains("has unresolved change requests (RE-R-SC-RI-01)", await auditor.InnerTextAsync(".sign-off-blocked[data-dimension='RE']"), StringComparison.Ordinal);
            await auditor.WaitForSelectorAsync("#sign-off-overall-blocked");

            // The assessee sees the request and may reply, but not resolve it: that is the auditor's.
            await OpenAsync(page, $"/assessments/{id}/risk-areas/RE-R-SC");
            var own = page.Locator(".item-thread[data-thread='RE-R-SC-RI-01']");
            await own.Locator(".reply-comment").WaitForAsync();
            Assert.Equal(0, await own.Locator(".resolve-comment").CountAsync());

            // Once the auditor resolves it, the sign-offs are offered again.
            await OpenAsync(auditor, $"/assessments/{id}/risk-areas/RE-R-SC");
            await auditor.Locator(".item-thread[data-thread='RE-R-SC-RI-01'] .resolve-comment").ClickAsync();
            await auditor.Locator(".item-thread[data-thread='RE-R-SC-RI-01'] .resolve-comment").WaitForAsync(new() { State = WaitForSelectorState.Detached });
            await OpenAsync(auditor, $"/assessments/{id}");
            await auditor.WaitForSelectorAsync(".dimension-card[data-dimension='RE'] .sign-off-dimension");
            while (await auditor.Locator(".sign-off-dimension").CountAsync() > 0)
            {
                var remaining = await auditor.Locator(".sign-off-dimension").CountAsync();
                await auditor.Locator(".sign-off-dimension").First.ClickAsync();
                await auditor.FillAsync("#step-message", "Checked against the evidence.");
                await auditor.ClickAsync("#confirm-step");
                await auditor.WaitForFunctionAsync($"document.querySelectorAll('.sign-off-dimension').length < {remaining}");
            }
            // The statement typed at full speed right after the step opens, over a slow network, and confirmed at once: every
            // key is in it (the MudDialog it was in drew its field again after opening and lost the first keys).
            await auditor.OverASlowNetworkAsync();
            const string statement = "Reviewed against the evidence; the residual risk is negligible.";
            await auditor.ClickAsync("#sign-off-overall");
            await auditor.WaitForFunctionAsync("document.activeElement?.id === 'step-message'");
            await auditor.Locator("#step-message").PressSequentiallyAsync(statement, new() { Delay = 0 });
            await auditor.ClickAsync("#confirm-step");
            await auditor.WaitForSelectorAsync(".status-chip[data-status='AuditorSignedOff']");
            await using (var db = app.Database.CreateContext())
            {
                Assert.Equal(statement, await db.AssessmentSignOffs.Where(s => s.AssessmentId == id && s.Scope == "overall").Select(s => s.Statement).SingleAsync());
            }
            await auditor.WaitForSelectorAsync("#locked-banner");
            await RunningApp.ScreenshotAsync(auditor, "assessment-signed-off");

            // The accountable authority closes it; the verdict computed then is kept with it.
            var authority = await app.SignInAsync("authority@demo.local", $"/assessments/{id}");
            await authority.ClickAsync("#close");
            await authority.FillAsync("#step-message", "The board accepts the residual risk.");
            await authority.ClickAsync("#confirm-step");
            await authority.WaitForSelectorAsync(".status-chip[data-status='Closed']");
            Assert.Contains("At closing", await authority.InnerTextAsync("#verdict"), StringComparison.Ordinal);
            Assert.Equal("Trustworthy", await authority.GetAttributeAsync("#verdict .verdict-chip", "data-verdict"));

            await auditor.GotoAsync($"/assessments/{id}/report");
            await auditor.WaitUntilInteractiveAsync();
            await auditor.WaitForSelectorAsync("#assessment-report");
            await RunningApp.ScreenshotAsync(auditor, "assessment-report");
            var report = await auditor.InnerTextAsync("#assessment-report");
            Assert.Contains("Relation extractor", report, StringComparison.Ordinal);
            Assert.Contains("Held-out max F1", report, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            throw new TimeoutException($"{e.Message}\n{await page.InnerTextAsync("body")}\n{app.Logs}", e);
        }
    }

    [Fact]
    public async Task Two_people_saving_the_same_item_the_second_is_told_and_sees_the_first_ones_answer_not_their_own()
    {
        var first = await app.SignInAsync("assessee@demo.local", "/assessments");
        await first.ClickAsync("#new-application");
        await first.FillAsync("#application-name", "Concurrent edits");
        await first.ClickAsync("#create-application");
        await first.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/assessments/applications/\d+$"));
        await first.ClickAsync("#start-assessment");
        await first.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/assessments/\d+$"));
        var profile = $"/assessments/{first.Url.Split('/')[^1]}/profile";
        await OpenAsync(first, profile);
        var second = await app.SignInAsync("admin@demo.local", profile);
        await second.WaitForSelectorAsync("#assessment-title");
        const string item = ".item-panel[data-item='PF-T-FA-01']";

        await first.FillAsync($"{item} textarea", "Extracts relations between people and places.");
        await first.ClickAsync($"{item} .save-answer");
        await first.WaitForSelectorAsync($"{item} .item-complete");
        await second.FillAsync($"{item} textarea", "Something else entirely.");
        await second.ClickAsync($"{item} .save-answer");

        await second.WaitForSelectorAsync(".mud-snackbar:has-text('after you loaded it; your change was not saved')");
        await second.WaitForSelectorAsync($"{item} .item-complete");
        Assert.Equal("Extracts relations between people and places.", await second.InputValueAsync($"{item} textarea"));
        await RunningApp.ScreenshotAsync(second, "assessment-conflict");

        // The item's history: one save, by the first, with what changed; the refused one left no trace.
        await second.ClickAsync($"{item} .show-history");
        await second.WaitForSelectorAsync($"{item} .history-entry");
        Assert.Equal(1, await second.Locator($"{item} .history-entry").CountAsync());
        var entry = await second.InnerTextAsync($"{item} .history-entry");
        Assert.Contains("assessee@demo.local", entry, StringComparison.Ordinal);
        Assert.Contains("— → Extracts relations between people and places.", entry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_measure_gets_a_link_and_a_file_as_evidence_and_a_file_of_a_refused_type_is_explained()
    {
        var files = Directory.CreateTempSubdirectory("e2e-evidence");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(files.FullName, "tool.exe"), "MZ not really a program");
            await File.WriteAllTextAsync(Path.Combine(files.FullName, "test-report.txt"), "Held-out F1 0.82 on 120 facts.\n");
            var page = await app.SignInAsync("assessee@demo.local", "/assessments");
            await page.ClickAsync("#new-application");
            await page.FillAsync("#application-name", "Evidence demo");
            await page.ClickAsync("#create-application");
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/assessments/applications/\d+$"));
            await page.ClickAsync("#start-assessment");
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/assessments/\d+$"));
            var id = page.Url.Split('/')[^1];
            await OpenAsync(page, $"/assessments/{id}/dimensions/RE");
            await page.Locator("input[data-level=Medium]").DispatchEventAsync("click");
            await page.FillAsync(".protection-justification textarea", "Wrong relations end up in reports.");
            await page.ClickAsync(".save-protection");
            await page.WaitForSelectorAsync(".item-panel[data-item='RE-P'] .item-complete");

            await OpenAsync(page, $"/assessments/{id}/risk-areas/RE-R-SC");
            var item = page.Locator(".item-panel[data-item*='-ME-']").First;
            await item.Locator(".add-measure").ClickAsync();
            var editor = item.Locator(".measure-editor[data-measure='new']");
            await editor.Locator(".measure-description textarea").FillAsync("Split train and test data by document, never by sentence.");
            await editor.Locator(".save-measure").ClickAsync();
            var measure = item.Locator(".measure-editor:not([data-measure='new'])");
            await measure.WaitForAsync();

            await measure.Locator(".add-evidence").ClickAsync();
            await measure.Locator(".evidence-title input").FillAsync("Data split script");
            await measure.Locator(".evidence-owner input").FillAsync("Text mining team");
            await measure.Locator(".evidence-url input").FillAsync("https://example.org/split.py");
            await measure.Locator(".save-link").ClickAsync();
            await measure.Locator(".evidence-item:has-text('Data split script')").WaitForAsync();

            await measure.Locator(".add-evidence").ClickAsync();
            await measure.Locator(".evidence-title input").FillAsync("Held-out test report");
            await measure.Locator("input[type=file]").SetInputFilesWhenReadyAsync(Path.Combine(files.FullName, "tool.exe"));
            await measure.Locator(".evidence-error:has-text('.exe')").WaitForAsync();
            await measure.Locator("input[type=file]").SetInputFilesWhenReadyAsync(Path.Combine(files.FullName, "test-report.txt"));
            await measure.Locator(".evidence-item:has-text('Held-out test report')").WaitForAsync();
            Assert.Equal(2, await measure.Locator(".evidence-item").CountAsync());
            await RunningApp.ScreenshotAsync(page, "assessment-evidence");

            // On a tablet in portrait the risk area and the assessment's home fit the width: nothing scrolls sideways.
            await page.SetViewportSizeAsync(768, 1024);
            foreach (var path in new[] { $"/assessments/{id}/risk-areas/RE-R-SC", $"/assessments/{id}" })
            {
                await OpenAsync(page, path);
                Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways at 768 px");
            }
            await RunningApp.ScreenshotAsync(page, "assessment-tablet");
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    private static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitUntilInteractiveAsync();
        await page.WaitForSelectorAsync("#assessment-title");
    }

    /// <summary>Answers every open item on the page: text answers get a sentence, overall assessments "criteria met".</summary>
    private static async Task AnswerEveryItemAsync(IPage page)
    {
        var panels = page.Locator(".item-panel:has(.item-open)");
        var answered = new HashSet<string>(StringComparer.Ordinal);
        while (await panels.CountAsync() > 0)
        {
            var panel = panels.First;
            var code = await panel.GetAttributeAsync("data-item") ?? "";
            Assert.True(answered.Add(code), $"{code} is still open after it was answered.");
            if (await panel.Locator(".overall-form").CountAsync() > 0)
            {
                await panel.Locator("input[data-fulfilment=Met]").DispatchEventAsync("click");
                await panel.Locator(".save-overall").ClickAsync();
            }
            else
            {
                await panel.Locator(".text-answer textarea").FillAsync($"Our answer to {code}: what we found and what we aim for.");
                await panel.Locator(".save-answer").ClickAsync();
            }
            await page.Locator($".item-panel[data-item='{code}'] .item-complete").WaitForAsync();
        }
    }
}
