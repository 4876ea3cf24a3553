using System.Text.Json;
using Microsoft.Playwright;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;

namespace WebApp.EndToEnd;

public class AssessmentReportJourneyTests(RunningApp app) : IClassFixture<RunningApp>
{
    /// <summary>A one-dimension catalog and an assessment with a criterion and a link as evidence, written straight to the database.</summary>
    private async Task<int> SeedAsync()
    {
        CatalogDefinition definition = new("e2e-report", "1", "E2E catalog", "Structure after the Fraunhofer IAIS AI Assessment Catalog (e2e copy)", "",
            [new(1, "Data", ""), new(2, "Development", "")], [new("Te", "Test report", "")], [new("PF-T-FA-01", "What does it do?", "", "Functionality")],
            [
                new("RE", "Reliability", "", ProtectionLevel.Medium, new CatalogItem("RE-P", "Protection", ""),
                    [new("SC", "Standard cases", "", [new("RE-R-SC-CR-01", Aspect.CR, "Criteria", ""), new("RE-R-SC-OA", Aspect.OA, "Overall", "")])],
                    new CatalogItem("RE-S", "Summary", "")),
            ],
            new CatalogItem("AT", "Trade-off", ""));
        await using var db = app.Database.CreateContext();
        var catalog = new AssessmentCatalog
        {
            Key = definition.Key,
            Version = definition.Version,
            Title = definition.Title,
            Definition = JsonSerializer.Serialize(definition, CatalogJson.Options),
            Sha256 = new string('0', 64),
            ImportedAt = DateTime.UtcNow,
            ImportedByName = "e2e",
        };
        var application = new AiApplication { Name = "Report journey app", Owner = "Team E2E", CreatedAt = DateTime.UtcNow, CreatedByName = "e2e" };
        db.AddRange(catalog, application);
        await db.SaveChangesAsync();
        var assessment = new Assessment
        {
            ApplicationId = application.Id,
            CatalogId = catalog.Id,
            Cycle = 1,
            Version = 1,
            Status = AssessmentStatus.Draft,
            CreatedAt = DateTime.UtcNow,
            CreatedByName = "e2e",
        };
        db.Assessments.Add(assessment);
        await db.SaveChangesAsync();
        db.AssessmentAnswers.AddRange(
            new AssessmentAnswer { AssessmentId = assessment.Id, ItemCode = "RE-P", Protection = ProtectionLevel.Medium, Justification = "Wrong output costs time.", UpdatedAt = DateTime.UtcNow },
            new AssessmentAnswer { AssessmentId = assessment.Id, ItemCode = "RE-S", ResidualRisk = ResidualRisk.Negligible, Justification = "Reviewed by people.", UpdatedAt = DateTime.UtcNow });
        var criterion = new AssessmentCriterion
        {
            AssessmentId = assessment.Id,
            RequirementCode = "RE-R-SC-CR-01",
            Kpi = "Accuracy",
            TargetMin = 0.9,
            Justification = "Agreed.",
            ManualValue = 0.95,
            UpdatedAt = DateTime.UtcNow,
        };
        db.AssessmentCriteria.Add(criterion);
        await db.SaveChangesAsync();
        db.AssessmentEvidence.Add(new AssessmentEvidence
        {
            AssessmentId = assessment.Id,
            ItemCode = "RE-R-SC-CR-01",
            CriterionId = criterion.Id,
            Kind = "Te",
            Title = "Accuracy test",
            Url = "https://example.org/accuracy",
            Owner = "QA",
            CreatedAt = DateTime.UtcNow,
            CreatedByName = "e2e",
        });
        await db.SaveChangesAsync();
        return assessment.Id;
    }

    [Fact]
    public async Task An_auditor_prints_the_report_without_the_navigation_and_with_link_addresses()
    {
        var id = await SeedAsync();
        var page = await app.SignInAsync("auditor@demo.local", $"/assessments/{id}/report");
        // The browser's print dialog cannot be driven headless: record the call instead.
        await page.EvaluateAsync("() => { window.__printed = 0; window.print = () => { window.__printed++; }; }");

        await page.WaitForSelectorAsync("#assessment-report");
        Assert.Contains("Report journey app", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        Assert.Contains("pass", await page.InnerTextAsync("#item-RE-R-SC-CR-01"), StringComparison.Ordinal);
        await RunningApp.ScreenshotAsync(page, "assessment-report");

        await page.ClickAsync("#report-print");
        await page.WaitForFunctionAsync("() => window.__printed === 1");

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.False(await page.IsVisibleAsync(".mud-appbar"));
        Assert.False(await page.IsVisibleAsync(".mud-drawer"));
        Assert.False(await page.IsVisibleAsync("#report-print"));
        Assert.True(await page.IsVisibleAsync("#report-verdict"));
        // The report uses the whole page width: the drawer's place is given back.
        Assert.Equal(0, await page.EvaluateAsync<double>("() => document.querySelector('#assessment-report').getBoundingClientRect().left"));
        var linkAfter = await page.EvaluateAsync<string>(
            "() => getComputedStyle(document.querySelector('#item-RE-R-SC-CR-01 a[href^=\"http\"]'), '::after').content");
        Assert.Contains("https://example.org/accuracy", linkAfter, StringComparison.Ordinal);
        var breakBefore = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#dimension-RE')).breakBefore");
        Assert.Equal("page", breakBefore);
        await RunningApp.ScreenshotAsync(page, "assessment-report-print");
        var pdf = await page.PdfAsync(new PagePdfOptions { Format = "A4" });
        Assert.True(pdf.Length > 1000);
    }
}
