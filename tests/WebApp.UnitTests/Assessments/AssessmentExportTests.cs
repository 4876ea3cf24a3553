using System.Text;
using System.Text.Json;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Assessments.Rules;
using WebApp.Web.Assessments;
using WebApp.Web.Assessments.Report;

namespace WebApp.UnitTests.Assessments;

public class AssessmentExportTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 30, 0, DateTimeKind.Utc);
    private static readonly Guid FileId = Guid.Parse("6f1c2a9e-0000-4000-8000-000000000001");
    private const string TrickyText = "Bias in \"training\" data, e.g. names;\nsecond line";

    private static AssessmentAnswer Answer(string code, string? text = null, ProtectionLevel? protection = null, string? justification = null,
        Fulfilment? fulfilment = null, ResidualRisk? residual = null, string[]? affected = null) =>
        new()
        {
            ItemCode = code,
            Text = text,
            Protection = protection,
            Justification = justification,
            Fulfilment = fulfilment,
            ResidualRisk = residual,
            AffectedDimensions = affected ?? [],
        };

    private static AssessmentCriterion Criterion(int id, string kpi, double? min, double? max, double? manual = null, MetricSourceKind? source = null,
        int? sourceId = null, string? key = null, int order = 0) =>
        new()
        {
            Id = id,
            RequirementCode = "FN-R-FN-CR-01",
            Kpi = kpi,
            TargetMin = min,
            TargetMax = max,
            Unit = "",
            Justification = $"Why {kpi}",
            ManualValue = manual,
            MetricSource = source,
            MetricSourceId = sourceId,
            MetricKey = key,
            Order = order,
            Fulfilment = Fulfilment.Met,
        };

    /// <summary>
    /// Fairness medium with one filled risk area (criteria bound, typed, failing and stale; measures at two stages, one pointing to
    /// another risk area; evidence as links and files), Reliability high, Data Protection low; accepted residual risk with its trade-off.
    /// </summary>
    private static AssessmentView View()
    {
        var answers = new[]
        {
            Answer("PF-T-FA-01", text: "Extracts relations, from news."),
            Answer("FN-P", protection: ProtectionLevel.Medium, justification: "Affects people named in the text."),
            Answer("FN-R-FN-RI-01", text: TrickyText),
            Answer("FN-R-FN-OA", text: "Recall for rare relations is below target.", fulfilment: Fulfilment.PartlyMet),
            Answer("FN-S", text: "Stricter thresholds cost recall.", residual: ResidualRisk.Acceptable, justification: "Curators review output.", affected: ["RE"]),
            Answer("RE-P", protection: ProtectionLevel.High, justification: "Wrong facts spread."),
            Answer("RE-S", residual: ResidualRisk.Negligible, justification: "Held-out F1 is monitored."),
            Answer("DP-P", protection: ProtectionLevel.Low, justification: "Public news only."),
            Answer("DP-S", residual: ResidualRisk.Unacceptable, justification: "left from an earlier rating"),
            Answer("AT", justification: "Reviewed output outweighs the recall cost."),
        }.ToDictionary(a => a.ItemCode);
        AssessmentCriterion[] criteria =
        [
            Criterion(1, "Held-out max F1", 0.8, null, source: MetricSourceKind.RelationModel, sourceId: 3, key: "heldOut.maxF1"),
            Criterion(2, "False-positive rate", null, 0.05, manual: 0.03, order: 1),
            Criterion(3, "Recall", 0.7, 1, manual: 0.5, order: 2),
            Criterion(4, "ROC-AUC", 0.9, null, source: MetricSourceKind.NoveltyModelSet, sourceId: 99, key: "overall.rocAuc", order: 3),
        ];
        AssessmentMeasure[] measures =
        [
            new() { Id = 11, RequirementCode = "FN-R-FN-ME-01", Stage = 4, Description = "Monitor drift", EvidenceKinds = ["Pr"], Order = 0 },
            new() { Id = 10, RequirementCode = "FN-R-FN-ME-01", Stage = 1, Description = "Balanced sampling", EvidenceKinds = ["Do", "Te"], Order = 1 },
            new() { Id = 12, RequirementCode = "FN-R-FN-ME-01", Stage = 2, ReferencedRiskArea = "RE-R-SC", Order = 2 },
        ];
        AssessmentEvidence[] evidence =
        [
            new() { Id = 21, ItemCode = "FN-R-FN-ME-01", MeasureId = 10, Kind = "Te", Title = "Sampling report", Url = "https://example.org/report", Owner = "Data team", ReviewDate = new DateOnly(2026, 9, 1) },
            new() { Id = 22, ItemCode = "FN-R-FN-CR-01", CriterionId = 2, Kind = "Te", Title = "FPR test", UploadedFileId = FileId, Owner = "QA" },
            new() { Id = 23, ItemCode = "FN-R-FN-RI-01", Kind = "Do", Title = "Risk workshop notes", Url = "https://example.org/notes", Owner = "PO" },
            new() { Id = 24, ItemCode = "FN-P", Kind = "Do", Title = "Stakeholder analysis", Url = "https://example.org/stakeholders", Owner = "PO" },
        ];
        var state = new AssessmentState(answers, criteria, measures);
        var reading = new MetricReading(new MetricOption(MetricSourceKind.RelationModel, 3, "Relations 'FewRel demo' · model v3", "heldOut.maxF1",
            "Held-out max F1", 0.82, new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc)), NewerVersionAvailable: true);
        return new AssessmentView(
            new Assessment { Id = 7, ApplicationId = 2, CatalogId = 1, Cycle = 2, Version = 1, PreviousId = 5, Status = AssessmentStatus.InReview, CreatedAt = Now.AddDays(-1), CreatedByName = "assessee@demo.local" },
            new AiApplication { Id = 2, Name = "Relation extractor", Owner = "ML team", Description = "PCNN over news" },
            new AssessmentCatalog { Id = 1, Key = TestCatalog.Definition.Key, Version = TestCatalog.Definition.Version, Title = TestCatalog.Definition.Title },
            TestCatalog.Definition,
            answers, criteria, measures, evidence,
            [
                new AssessmentComment { Id = 31, ItemCode = "FN-R-FN-CR-01", Text = "Why 0.8?", IsChangeRequest = true, AuthorName = "auditor@demo.local", CreatedAt = Now },
                new AssessmentComment { Id = 30, ItemCode = "", Text = "Looks good overall", AuthorName = "auditor@demo.local", CreatedAt = Now.AddHours(-1) },
            ],
            [new AssessmentSignOff { Id = 41, Scope = "RE", Role = "Auditor", SignedByName = "auditor@demo.local", SignedAt = Now, Statement = "Reliability checked" }],
            new Dictionary<int, MetricReading?> { [1] = reading, [4] = null },
            AssessmentRules.Evaluate(TestCatalog.Definition, state),
            new HashSet<string> { "FN-R-FN-RI-01" });
    }

    private static readonly Dictionary<Guid, EvidenceFile> Files = new() { [FileId] = new EvidenceFile("fpr-test.pdf", new string('a', 64), 1234) };

    private static AssessmentExport Export() => AssessmentExportBuilder.Build(View(), Files, Now);

    private static ExportRequirement Requirement(AssessmentExport export, string id) =>
        export.Dimensions.SelectMany(d => d.RiskAreas).SelectMany(a => a.Requirements).Single(r => r.Id == id);

    [Fact]
    public void Carries_catalog_application_and_assessment()
    {
        var export = Export();

        Assert.Equal(new ExportCatalog("test-catalog", "1.0", "Test catalog", "Structure after a test"), export.Catalog);
        Assert.Equal(new ExportApplication(2, "Relation extractor", "ML team", "PCNN over news"), export.Application);
        Assert.Equal(7, export.Assessment.Id);
        Assert.Equal((2, 1, 5), (export.Assessment.Cycle, export.Assessment.Version, export.Assessment.PreviousId));
        Assert.Equal(AssessmentStatus.InReview, export.Assessment.Status);
        Assert.Equal(Now, export.GeneratedAt);
        Assert.Equal(["PF-T-FA-01", "PF-T-ST-01"], export.Profile.Select(p => p.Id));
        Assert.Equal("Extracts relations, from news.", export.Profile[0].Answer);
        Assert.Null(export.Profile[1].Answer);
    }

    [Fact]
    public void Keeps_the_catalog_structure_and_marks_skipped_risk_areas_not_applicable()
    {
        var export = Export();

        Assert.Equal(["FN", "RE", "DP"], export.Dimensions.Select(d => d.Code));
        var fairness = export.Dimensions[0];
        Assert.Equal((ProtectionLevel?)ProtectionLevel.Medium, fairness.Protection);
        Assert.Equal("Affects people named in the text.", fairness.ProtectionJustification);
        Assert.Equal(["FN-R-FN", "FN-R-CD"], fairness.RiskAreas.Select(a => a.Key));
        Assert.Equal(["FN-R-FN-RI-01", "FN-R-FN-CR-01", "FN-R-FN-ME-01", "FN-R-FN-OA"], fairness.RiskAreas[0].Requirements.Select(r => r.Id));

        var dataProtection = export.Dimensions[2];
        Assert.Equal(Applicability.NotApplicable, dataProtection.Applicability);
        Assert.All(dataProtection.RiskAreas, a =>
        {
            Assert.Equal(Applicability.NotApplicable, a.Applicability);
            Assert.Empty(a.Requirements);
        });
        // The residual risk left on the low dimension is neither asked nor exported.
        Assert.Null(dataProtection.Summary);
    }

    [Fact]
    public void Exports_answers_with_their_state()
    {
        var export = Export();

        var risks = Requirement(export, "FN-R-FN-RI-01");
        Assert.Equal(TrickyText, risks.Answer);
        Assert.True(risks.Complete);
        Assert.True(risks.ChangedSincePrevious);

        var overall = Requirement(export, "FN-R-FN-OA");
        Assert.Equal(Fulfilment.PartlyMet, overall.Fulfilment);
        Assert.Equal("Recall for rare relations is below target.", overall.Answer);
        Assert.True(overall.Complete);

        var summary = export.Dimensions[0].Summary!;
        Assert.Equal(("FN-S", (ResidualRisk?)ResidualRisk.Acceptable, "Curators review output.", "Stricter thresholds cost recall.", true),
            (summary.Id, summary.ResidualRisk, summary.Explanation, summary.Effects, summary.Complete));
        Assert.Equal(["RE"], summary.AffectedDimensions);
    }

    [Fact]
    public void Criteria_carry_their_value_where_it_came_from_and_pass_or_fail()
    {
        var criteria = Requirement(Export(), "FN-R-FN-CR-01").Criteria;

        Assert.Equal([1, 2, 3, 4], criteria.Select(c => c.Id));

        var bound = criteria[0];
        Assert.Equal(0.82, bound.Value);
        Assert.Equal(CriterionOutcome.Pass, bound.Outcome);
        Assert.Equal(ExportValueKind.Model, bound.ValueSource.Kind);
        Assert.Equal("model Relations 'FewRel demo' · model v3, metric Held-out max F1, measured at 2026-03-01 12:00 UTC (a newer model exists)",
            bound.ValueSource.Description);
        Assert.Equal((MetricSourceKind?)MetricSourceKind.RelationModel, bound.ValueSource.Source);
        Assert.Equal(3, bound.ValueSource.SourceId);
        Assert.Equal("heldOut.maxF1", bound.ValueSource.MetricKey);
        Assert.True(bound.ValueSource.NewerVersionAvailable);

        Assert.Equal((0.03, CriterionOutcome.Pass, ExportValueKind.Manual), (criteria[1].Value!.Value, criteria[1].Outcome, criteria[1].ValueSource.Kind));
        Assert.Equal((0.5, CriterionOutcome.Fail), (criteria[2].Value!.Value, criteria[2].Outcome));

        var gone = criteria[3];
        Assert.Null(gone.Value);
        Assert.Equal(CriterionOutcome.NoValue, gone.Outcome);
        Assert.Equal(ExportValueKind.ModelMissing, gone.ValueSource.Kind);
        Assert.Contains("no longer exists", gone.ValueSource.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_criterion_without_binding_or_value_has_no_value()
    {
        var (value, source) = AssessmentExportBuilder.ValueOf(new AssessmentCriterion { Kpi = "x", TargetMin = 1 }, null);

        Assert.Null(value);
        Assert.Equal(ExportValueKind.None, source.Kind);
    }

    [Fact]
    public void Measures_come_per_stage_with_their_evidence_and_pointers()
    {
        var measures = Requirement(Export(), "FN-R-FN-ME-01").Measures;

        Assert.Equal([(1, "Data"), (2, "Development"), (4, "Operation")], measures.Select(m => (m.Stage, m.StageName)));
        Assert.Equal(["Do", "Te"], measures[0].EvidenceKinds);
        Assert.Equal("RE-R-SC", measures[1].ReferencedRiskArea);
        var link = Assert.Single(measures[0].Evidence);
        Assert.Equal(("Sampling report", "https://example.org/report", "Data team", (DateOnly?)new DateOnly(2026, 9, 1)),
            (link.Title, link.Url, link.Owner, link.ReviewDate));
        Assert.Empty(measures[2].Evidence);
    }

    [Fact]
    public void Evidence_is_placed_with_its_measure_criterion_or_item_and_files_carry_name_and_hash()
    {
        var export = Export();

        var file = Assert.Single(Requirement(export, "FN-R-FN-CR-01").Criteria[1].Evidence);
        Assert.Equal(("fpr-test.pdf", new string('a', 64), (long?)1234, (string?)null), (file.FileName, file.Sha256, file.Length, file.Url));
        Assert.Equal("Risk workshop notes", Assert.Single(Requirement(export, "FN-R-FN-RI-01").Evidence).Title);
        Assert.Empty(Requirement(export, "FN-R-FN-CR-01").Evidence);
        // Evidence on an item outside the risk areas is kept too.
        Assert.Equal(24, Assert.Single(export.OtherEvidence).Id);
    }

    [Fact]
    public void Carries_the_trade_off_the_computed_verdict_sign_offs_and_comments()
    {
        var export = Export();

        Assert.Equal(new ExportCrossDimensional("AT", "Cross-dimensional assessment", true, "Reviewed output outweighs the recall cost.", true),
            export.CrossDimensional);
        Assert.Equal(Verdict.TrustworthyWithAcceptedRisk, export.Verdict.Verdict);
        Assert.Equal(["Non-negligible residual risk in Fairness is accepted with a justified trade-off (AT)."], export.Verdict.Reasons);
        Assert.Null(export.Verdict.VerdictAtClose);
        var signOff = Assert.Single(export.SignOffs);
        Assert.Equal(("RE", "Auditor", "Reliability checked"), (signOff.Scope, signOff.Role, signOff.Statement));
        // Oldest first.
        Assert.Equal(["", "FN-R-FN-CR-01"], export.Comments.Select(c => c.ItemCode));
        Assert.True(export.Comments[1].IsChangeRequest);
    }

    [Fact]
    public void Json_is_camel_case_with_enums_as_strings_and_reads_back()
    {
        var json = AssessmentExportFormats.ToJson(Export());

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("test-catalog", root.GetProperty("catalog").GetProperty("key").GetString());
        Assert.Equal("TrustworthyWithAcceptedRisk", root.GetProperty("verdict").GetProperty("verdict").GetString());
        var dimensions = root.GetProperty("dimensions");
        Assert.Equal("Medium", dimensions[0].GetProperty("protection").GetString());
        Assert.Equal("NotApplicable", dimensions[2].GetProperty("applicability").GetString());
        var criterion = dimensions[0].GetProperty("riskAreas")[0].GetProperty("requirements")[1].GetProperty("criteria")[0];
        Assert.Equal("Pass", criterion.GetProperty("outcome").GetString());
        Assert.Equal("Model", criterion.GetProperty("valueSource").GetProperty("kind").GetString());
        Assert.Equal("RelationModel", criterion.GetProperty("valueSource").GetProperty("source").GetString());

        var back = JsonSerializer.Deserialize<AssessmentExport>(json, AssessmentExportFormats.JsonOptions)!;
        Assert.Equal(TrickyText, back.Dimensions[0].RiskAreas[0].Requirements[0].Answer);
        Assert.Equal(0.82, back.Dimensions[0].RiskAreas[0].Requirements[1].Criteria[0].Value);
    }

    [Fact]
    public void Csv_has_one_row_per_item_criterion_measure_and_evidence_with_every_column()
    {
        var rows = ParseCsv(AssessmentExportFormats.ToCsv(Export()));

        Assert.Equal(AssessmentExportFormats.CsvColumns, rows[0]);
        Assert.All(rows, r => Assert.Equal(AssessmentExportFormats.CsvColumns.Count, r.Count));
        var records = rows.Skip(1).Select(r => AssessmentExportFormats.CsvColumns.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();

        List<Dictionary<string, string>> OfKind(string kind) => records.Where(r => r["kind"] == kind).ToList();
        Assert.Equal(4, OfKind("criterion").Count);
        Assert.Equal(3, OfKind("measure").Count);
        Assert.Equal(4, OfKind("evidence").Count);
        Assert.Equal(2, OfKind("profile").Count);
        Assert.Equal(["FN-P", "RE-P", "DP-P"], OfKind("protection").Select(r => r["item_id"]));
        Assert.Equal(["n/a"], OfKind("risk-area").Where(r => r["dimension"] == "DP").Select(r => r["status"]));

        var risks = records.Single(r => r["kind"] == "requirement" && r["item_id"] == "FN-R-FN-RI-01");
        Assert.Equal(TrickyText, risks["answer"]);
        Assert.Equal("yes", risks["changed_since_previous"]);
        var bound = OfKind("criterion")[0];
        Assert.Equal(("FN", "FN-R-FN", "FN-R-FN-CR-01", "0.82", "0.8", "", "pass"),
            (bound["dimension"], bound["risk_area"], bound["item_id"], bound["value"], bound["target_min"], bound["target_max"], bound["status"]));
        Assert.Contains("model Relations 'FewRel demo' · model v3", bound["source"], StringComparison.Ordinal);
        Assert.Equal("fail", OfKind("criterion")[2]["status"]);
        var file = OfKind("evidence").Single(r => r["link_or_file"] == "fpr-test.pdf");
        Assert.Equal(new string('a', 64), file["sha256"]);
        Assert.Equal("2026-09-01", OfKind("evidence").Single(r => r["title"] == "Sampling report")["review_date"]);
        Assert.Equal("TrustworthyWithAcceptedRisk", Assert.Single(OfKind("verdict"))["value"]);
        Assert.Equal("RE", Assert.Single(OfKind("sign-off"))["item_id"]);
        Assert.Single(OfKind("change-request"));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\rlf", "\"cr\rlf\"")]
    [InlineData("Relations 'x' · v3", "Relations 'x' · v3")]
    public void Csv_fields_are_quoted_as_rfc_4180_asks(string field, string expected)
    {
        Assert.Equal(expected, AssessmentExportFormats.Quote(field));
    }

    [Fact]
    public void Csv_rows_end_with_crlf()
    {
        var csv = AssessmentExportFormats.ToCsv(Export());

        Assert.StartsWith(string.Join(',', AssessmentExportFormats.CsvColumns) + "\r\n", csv, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Relation extractor", "assessment-7-relation-extractor-cycle2-v1")]
    [InlineData("  Ünïcode & Co. // v2 ", "assessment-7-n-code-co-v2-cycle2-v1")]
    [InlineData("???", "assessment-7-cycle2-v1")]
    public void File_names_are_plain_ascii(string name, string expected)
    {
        var export = Export() with { Application = new ExportApplication(2, name, "", "") };

        Assert.Equal(expected, AssessmentReports.FileStem(export));
    }

    /// <summary>An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else field.Append(c);
        }
        Assert.False(quoted);
        Assert.Empty(row);
        return rows;
    }
}
