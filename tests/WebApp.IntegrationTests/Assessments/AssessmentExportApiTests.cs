using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Rules;
using WebApp.Domain.Identity;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;
using WebApp.Web.Assessments;
using WebApp.Web.Assessments.Report;

namespace WebApp.IntegrationTests.Assessments;

/// <summary>The JSON and CSV exports and the printable report over HTTP, for an assessment filled through the service.</summary>
public class AssessmentExportApiTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private AssessmentService Service => app.Services.GetRequiredService<AssessmentService>();

    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    /// <summary>A relation model version with a held-out max F1 of 0.71, for a criterion to be bound to.</summary>
    private async Task<int> ModelVersionAsync()
    {
        await using var db = await DbAsync();
        var project = await RelationProjects.CreateAsync(db, $"Export {Guid.NewGuid():N}", "", "tester", CancellationToken.None);
        var version = new ModelVersion
        {
            ProjectId = project.Id,
            Number = 1,
            Architecture = "pcnn",
            CreatedAt = DateTime.UtcNow,
            Metrics = JsonSerializer.Serialize(new ModelEvaluation(new HeldOutEvaluation(0.66, null, null, null, 0.71, 0.4, 10, [], []), null, [], 1),
                JobJson.Options),
        };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync();
        return version.Id;
    }

    /// <summary>Fairness and Data Protection low, Reliability medium with a bound criterion, a typed one (with a comma and quotes) and a measure.</summary>
    private async Task<(int Id, string Name)> AssessmentAsync()
    {
        int catalogId;
        await using (var db = await DbAsync()) catalogId = await TestCatalog.InsertAsync(db, TestCatalog.Definition($"export-{Guid.NewGuid():N}", "1"));
        var sam = Users.Assessee;
        var name = $"Ticket router {Guid.NewGuid():N}";
        var application = await Service.CreateApplicationAsync(sam, name, "Team A", "Routes tickets.");
        var assessment = await Service.StartAssessmentAsync(sam, application.Id, catalogId);
        var id = assessment.Id;
        Task Answer(string code, string? text = null, ProtectionLevel? protection = null, string? justification = null, ResidualRisk? residual = null) =>
            Service.SaveAnswerAsync(sam, id, new AnswerEdit(code, null, text, protection, justification, null, residual));
        await Answer("FN-P", protection: ProtectionLevel.Low, justification: "No decisions about people.");
        await Answer("DP-P", protection: ProtectionLevel.Low, justification: "No personal data.");
        await Answer("RE-P", protection: ProtectionLevel.Medium, justification: "Misrouted tickets cost time.");
        await Answer("RE-R-SC-RI-01", text: "Tickets routed to the \"wrong\" team, twice.");
        var versionId = await ModelVersionAsync();
        await Service.SaveCriterionAsync(sam, id, new CriterionEdit(null, null, "RE-R-SC-CR-01", "Held-out max F1", 0.7, null, "", "Below 0.7 queues overflow.",
            null, MetricSourceKind.RelationModel, versionId, "heldOut.maxF1", null));
        await Service.SaveCriterionAsync(sam, id, new CriterionEdit(null, null, "RE-R-SC-CR-01", "Accuracy", 0.9, null, "", "Agreed with support.",
            0.85, null, null, null, Fulfilment.PartlyMet));
        await Service.SaveMeasureAsync(sam, id, new MeasureEdit(null, null, "RE-R-SC-ME-01", 2, "Held-out evaluation per release.", ["Te"], null));
        await Answer("RE-S", justification: "A human re-routes errors.", residual: ResidualRisk.Negligible);
        return (id, name);
    }

    [Fact]
    public async Task A_participant_downloads_the_json_export()
    {
        var (id, name) = await AssessmentAsync();
        var client = await app.ClientAsync("assessee@demo.local");

        var response = await client.GetAsync($"/api/assessments/{id}/export.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.StartsWith($"assessment-{id}-ticket-router-", response.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
        Assert.EndsWith("-cycle1-v1.json", response.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
        var export = JsonSerializer.Deserialize<AssessmentExport>(await response.Content.ReadAsStringAsync(), AssessmentExportFormats.JsonOptions)!;
        Assert.Equal(name, export.Application.Name);
        Assert.Equal(["FN", "RE", "DP"], export.Dimensions.Select(d => d.Code));
        var requirements = export.Dimensions[1].RiskAreas.SelectMany(a => a.Requirements).ToList();
        Assert.Contains(requirements, r => r.Id == "RE-R-SC-RI-01" && r.Answer == "Tickets routed to the \"wrong\" team, twice.");
        var criteria = requirements.Single(r => r.Id == "RE-R-SC-CR-01").Criteria;
        Assert.Equal((0.71, CriterionOutcome.Pass, ExportValueKind.Model), (criteria[0].Value!.Value, criteria[0].Outcome, criteria[0].ValueSource.Kind));
        Assert.Contains("metric Held-out max F1", criteria[0].ValueSource.Description, StringComparison.Ordinal);
        Assert.Equal((0.85, CriterionOutcome.Fail, ExportValueKind.Manual), (criteria[1].Value!.Value, criteria[1].Outcome, criteria[1].ValueSource.Kind));
        Assert.All(export.Dimensions[0].RiskAreas, a => Assert.Equal(Applicability.NotApplicable, a.Applicability));
    }

    [Fact]
    public async Task A_participant_downloads_the_csv_export()
    {
        var (id, _) = await AssessmentAsync();
        var client = await app.ClientAsync("auditor@demo.local");

        var response = await client.GetAsync($"/api/assessments/{id}/export.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var csv = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith(string.Join(',', AssessmentExportFormats.CsvColumns) + "\r\n", csv, StringComparison.Ordinal);
        foreach (var itemId in new[] { "FN-P", "RE-P", "DP-P", "RE-R-SC-RI-01", "RE-R-SC-CR-01", "RE-R-SC-ME-01", "RE-S", "AT" })
        {
            Assert.Contains($",{itemId},", csv, StringComparison.Ordinal);
        }
        // The answer with quotes and a comma is one quoted field.
        Assert.Contains("\"Tickets routed to the \"\"wrong\"\" team, twice.\"", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exports_need_an_assessment_participant()
    {
        var (id, _) = await AssessmentAsync();

        foreach (var format in new[] { "json", "csv" })
        {
            var url = $"/api/assessments/{id}/export.{format}";
            Assert.Equal(HttpStatusCode.Unauthorized, (await (await app.ClientAsync()).GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync("expert@demo.local")).GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await (await app.ClientAsync("authority@demo.local")).GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await (await app.ClientAsync("admin@demo.local")).GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await (await app.ClientAsync("admin@demo.local")).GetAsync($"/api/assessments/{id + 100000}/export.{format}")).StatusCode);
        }
    }

    [Fact]
    public async Task An_evidence_file_is_downloaded_as_an_attachment_from_its_own_assessment_only()
    {
        var (id, _) = await AssessmentAsync();
        var (otherId, _) = await AssessmentAsync();
        var measure = (await Service.LoadAsync(id)).Measures[0];
        var pdf = "%PDF-1.7\n1 0 obj\n"u8.ToArray();
        var evidence = await Service.AddFileEvidenceAsync(Users.Assessee, id,
            new FileEvidence("RE-R-SC-ME-01", measure.Id, null, "Te", "Evaluation report", "QA", null), new MemoryStream(pdf), "evaluation.pdf");
        var url = AssessmentReports.EvidenceFileUrl(id, evidence.Id);

        var response = await (await app.ClientAsync("auditor@demo.local")).GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(pdf, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(("attachment", "evaluation.pdf"), (response.Content.Headers.ContentDisposition?.DispositionType, response.Content.Headers.ContentDisposition?.FileName));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ClientAsync("auditor@demo.local")).GetAsync(AssessmentReports.EvidenceFileUrl(otherId, evidence.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await (await app.ClientAsync()).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync("expert@demo.local")).GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task The_report_page_renders_the_catalog_structure()
    {
        var (id, name) = await AssessmentAsync();
        var client = await app.ClientAsync("auditor@demo.local");

        var response = await client.GetAsync($"/assessments/{id}/report");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"Trustworthiness assessment: {name}", html, StringComparison.Ordinal);
        Assert.Contains("id=\"dimension-RE\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"item-RE-R-SC-CR-01\"", html, StringComparison.Ordinal);
        Assert.Contains("Not applicable: the protection requirement of Fairness is low.", html, StringComparison.Ordinal);
        Assert.Contains("Structure after the Fraunhofer IAIS AI Assessment Catalog (test copy)", html, StringComparison.Ordinal);
        Assert.Contains("Print / save as PDF", html, StringComparison.Ordinal);
        // Every dimension is summarised, but risk-area items are open: no verdict yet, and the report says what is open.
        Assert.Contains("Verdict: Incomplete", html, StringComparison.Ordinal);
        Assert.Contains("Complete the risk areas of Reliability", html, StringComparison.Ordinal);
        Assert.Contains("assessment-report", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await (await app.ClientAsync()).GetAsync($"/assessments/{id}/report")).StatusCode);
    }
}
