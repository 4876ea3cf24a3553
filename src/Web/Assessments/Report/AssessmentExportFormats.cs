using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using WebApp.Domain.Assessments.Rules;
using WebApp.Web.Components;

namespace WebApp.Web.Assessments.Report;

/// <summary>The exports of an <see cref="AssessmentExport"/>: JSON (the record itself) and CSV (one row per item, criterion, measure, evidence…).</summary>
public static class AssessmentExportFormats
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
    };

    public static string ToJson(AssessmentExport export) => JsonSerializer.Serialize(export, JsonOptions);

    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "dimension", "risk_area", "item_id", "aspect", "stage", "kind", "title", "answer", "value", "target_min", "target_max", "unit",
        "status", "fulfilment", "problem", "source", "justification", "affected_dimensions", "owner", "review_date", "link_or_file", "sha256",
        "changed_since_previous",
    ];

    /// <summary>One row per catalog item, criterion, measure, evidence, sign-off and comment; RFC 4180 (CRLF, quoted where needed).</summary>
    public static string ToCsv(AssessmentExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var text = new StringBuilder();
        AppendRow(text, CsvColumns);
        void Row(CsvRow row) => AppendRow(text, row.Fields());

        var catalog = export.Catalog;
        Row(new CsvRow { Kind = "catalog", Title = catalog.Title, Value = $"{catalog.Key} {catalog.Version}", Source = catalog.Credit });
        Row(new CsvRow { Kind = "application", ItemId = Number(export.Application.Id), Title = export.Application.Name, Answer = export.Application.Description, Owner = export.Application.Owner });
        var a = export.Assessment;
        Row(new CsvRow
        {
            Kind = "assessment",
            ItemId = Number(a.Id),
            Title = $"Cycle {Number(a.Cycle)}, version {Number(a.Version)}",
            Status = a.Status.ToString(),
            Owner = a.CreatedBy,
            Value = Time(a.CreatedAt),
        });
        foreach (var item in export.Profile)
        {
            Row(new CsvRow
            {
                Kind = "profile",
                ItemId = item.Id,
                Title = item.Question,
                Answer = item.Answer,
                Status = string.IsNullOrWhiteSpace(item.Answer) ? "missing" : "answered",
                Changed = item.ChangedSincePrevious,
            });
        }
        foreach (var d in export.Dimensions)
        {
            Row(new CsvRow
            {
                Dimension = d.Code,
                ItemId = d.ProtectionItemId,
                Aspect = "P",
                Kind = "protection",
                Title = d.Name,
                Value = d.Protection?.ToString(),
                Status = Applicability(d.Applicability),
                Problem = d.ProtectionProblem,
                Justification = d.ProtectionJustification,
            });
            foreach (var area in d.RiskAreas)
            {
                Row(new CsvRow
                {
                    Dimension = d.Code,
                    RiskArea = area.Key,
                    ItemId = area.Key,
                    Kind = "risk-area",
                    Title = area.Name,
                    Status = Applicability(area.Applicability),
                    Value = $"{Number(area.Progress.Done)}/{Number(area.Progress.Required)}",
                });
                foreach (var r in area.Requirements) RequirementRows(d, area, r, Row);
            }
            if (d.Summary is { } s)
            {
                Row(new CsvRow
                {
                    Dimension = d.Code,
                    ItemId = s.Id,
                    Aspect = "S",
                    Kind = "summary",
                    Title = $"Summary of {d.Name}",
                    Answer = s.Effects,
                    Value = s.ResidualRisk?.ToString(),
                    Status = s.Complete ? "complete" : "incomplete",
                    Problem = s.Problem,
                    Justification = s.Explanation,
                    AffectedDimensions = string.Join(';', s.AffectedDimensions),
                });
            }
            foreach (var warning in d.Warnings) Row(new CsvRow { Dimension = d.Code, Kind = "warning", Title = warning });
        }
        var at = export.CrossDimensional;
        Row(new CsvRow
        {
            ItemId = at.Id,
            Aspect = "AT",
            Kind = "trade-off",
            Title = at.Question,
            Justification = at.Justification,
            Status = !at.Asked ? "not asked" : at.Complete ? "complete" : "incomplete",
        });
        Row(new CsvRow { Kind = "verdict", Value = export.Verdict.Verdict.ToString(), Answer = string.Join("\n", export.Verdict.Reasons), Status = $"{Number(export.Progress.Done)}/{Number(export.Progress.Required)}" });
        foreach (var evidence in export.OtherEvidence) Row(EvidenceRow(null, null, evidence));
        foreach (var signOff in export.SignOffs)
        {
            Row(new CsvRow { Kind = "sign-off", ItemId = signOff.Scope, Title = signOff.Statement, Source = signOff.Role, Owner = signOff.SignedBy, Value = Time(signOff.SignedAt) });
        }
        foreach (var comment in export.Comments)
        {
            Row(new CsvRow
            {
                Kind = comment.IsChangeRequest ? "change-request" : "comment",
                ItemId = comment.ItemCode,
                Title = comment.Text,
                Owner = comment.Author,
                Value = Time(comment.CreatedAt),
                Status = comment.ResolvedAt is null ? "open" : $"resolved by {comment.ResolvedBy}",
            });
        }
        return text.ToString();
    }

    private static void RequirementRows(ExportDimension d, ExportRiskArea area, ExportRequirement r, Action<CsvRow> row)
    {
        row(new CsvRow
        {
            Dimension = d.Code,
            RiskArea = area.Key,
            ItemId = r.Id,
            Aspect = r.Aspect.ToString(),
            Stage = r.Stage,
            Kind = "requirement",
            Title = r.Text,
            Answer = r.Answer,
            Status = r.Complete ? "complete" : "incomplete",
            Fulfilment = r.Fulfilment?.ToString(),
            Problem = r.Problem,
            Changed = r.ChangedSincePrevious,
        });
        foreach (var c in r.Criteria)
        {
            row(new CsvRow
            {
                Dimension = d.Code,
                RiskArea = area.Key,
                ItemId = r.Id,
                Aspect = "CR",
                Kind = "criterion",
                Title = c.Kpi,
                Value = Number(c.Value),
                TargetMin = Number(c.TargetMin),
                TargetMax = Number(c.TargetMax),
                Unit = c.Unit,
                Status = Outcome(c.Outcome),
                Fulfilment = c.Fulfilment?.ToString(),
                Source = c.ValueSource.Description,
                Justification = c.Justification,
            });
            foreach (var evidence in c.Evidence) row(EvidenceRow(d, area, evidence));
        }
        foreach (var m in r.Measures)
        {
            row(new CsvRow
            {
                Dimension = d.Code,
                RiskArea = area.Key,
                ItemId = r.Id,
                Aspect = "ME",
                Stage = m.Stage,
                Kind = "measure",
                Title = m.ReferencedRiskArea is { } referenced ? $"See the measures of {referenced}" : m.Description,
                Value = string.Join(';', m.EvidenceKinds),
                Source = m.StageName,
            });
            foreach (var evidence in m.Evidence) row(EvidenceRow(d, area, evidence));
        }
        foreach (var evidence in r.Evidence) row(EvidenceRow(d, area, evidence));
    }

    private static CsvRow EvidenceRow(ExportDimension? d, ExportRiskArea? area, ExportEvidence e) => new()
    {
        Dimension = d?.Code,
        RiskArea = area?.Key,
        ItemId = e.ItemCode,
        Kind = "evidence",
        Title = e.Title,
        Value = e.Kind,
        Owner = e.Owner,
        ReviewDate = e.ReviewDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        LinkOrFile = e.Url ?? e.FileName,
        Sha256 = e.Sha256,
    };

    private static string Applicability(Applicability applicability) => applicability switch
    {
        Domain.Assessments.Rules.Applicability.Applicable => "applicable",
        Domain.Assessments.Rules.Applicability.NotApplicable => "n/a",
        _ => "not rated",
    };

    private static string Outcome(CriterionOutcome outcome) => outcome switch
    {
        CriterionOutcome.Pass => "pass",
        CriterionOutcome.Fail => "fail",
        _ => "no value",
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void AppendRow(StringBuilder text, IEnumerable<string?> fields) =>
        text.AppendJoin(',', fields.Select(f => Quote(f ?? ""))).Append("\r\n");

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    public static string Quote(string field) => Csv.Quote(field);

    private sealed record CsvRow
    {
        public string? Dimension { get; init; }
        public string? RiskArea { get; init; }
        public string? ItemId { get; init; }
        public string? Aspect { get; init; }
        public int? Stage { get; init; }
        public required string Kind { get; init; }
        public string? Title { get; init; }
        public string? Answer { get; init; }
        public string? Value { get; init; }
        public string? TargetMin { get; init; }
        public string? TargetMax { get; init; }
        public string? Unit { get; init; }
        public string? Status { get; init; }
        public string? Fulfilment { get; init; }
        public string? Problem { get; init; }
        public string? Source { get; init; }
        public string? Justification { get; init; }
        public string? AffectedDimensions { get; init; }
        public string? Owner { get; init; }
        public string? ReviewDate { get; init; }
        public string? LinkOrFile { get; init; }
        public string? Sha256 { get; init; }
        public bool Changed { get; init; }

        public string?[] Fields() =>
        [
            Dimension, RiskArea, ItemId, Aspect, Stage?.ToString(CultureInfo.InvariantCulture), Kind, Title, Answer, Value, TargetMin, TargetMax, Unit,
            Status, Fulfilment, Problem, Source, Justification, AffectedDimensions, Owner, ReviewDate, LinkOrFile, Sha256, Changed ? "yes" : "",
        ];
    }
}
