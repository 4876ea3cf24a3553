using System.Globalization;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Assessments.Rules;

namespace WebApp.Web.Assessments.Report;

/// <summary>
/// A whole assessment in the catalog's structure, as the report page shows it and the JSON and CSV exports write it:
/// profile, per dimension its protection requirement, risk areas (requirements with answers, criteria with their values
/// and pass/fail, measures with evidence, overall assessment) and summary, the trade-off, the computed verdict,
/// sign-offs and comments.
/// </summary>
public sealed record AssessmentExport(
    ExportCatalog Catalog,
    ExportApplication Application,
    ExportAssessment Assessment,
    IReadOnlyList<ExportProfileItem> Profile,
    IReadOnlyList<ExportDimension> Dimensions,
    ExportCrossDimensional CrossDimensional,
    ExportVerdict Verdict,
    ExportProgress Progress,
    IReadOnlyList<ExportSignOff> SignOffs,
    IReadOnlyList<ExportComment> Comments,
    /// <summary>Evidence attached to items that are not requirements (profile, protection, summary, AT).</summary>
    IReadOnlyList<ExportEvidence> OtherEvidence,
    DateTime GeneratedAt);

public sealed record ExportCatalog(string Key, string Version, string Title, string Credit);

public sealed record ExportApplication(int Id, string Name, string Owner, string Description);

public sealed record ExportAssessment(
    int Id, int Cycle, int Version, AssessmentStatus Status, int? PreviousId, DateTime CreatedAt, string CreatedBy,
    DateTime? SubmittedAt, DateTime? ClosedAt);

public sealed record ExportProgress(int Done, int Required);

public sealed record ExportProfileItem(string Id, string? Group, string Question, string? Answer, bool CarriedOver, bool ChangedSincePrevious);

public sealed record ExportDimension(
    string Code,
    string Name,
    string ProtectionItemId,
    ProtectionLevel? Protection,
    string? ProtectionJustification,
    /// <summary>Why the rating is refused (e.g. Reliability low), when it is.</summary>
    string? ProtectionProblem,
    Applicability Applicability,
    IReadOnlyList<ExportRiskArea> RiskAreas,
    /// <summary>Null while the dimension is not applicable (low) or not rated.</summary>
    ExportSummary? Summary,
    IReadOnlyList<string> Warnings,
    ExportProgress Progress);

public sealed record ExportRiskArea(
    string Key,
    string Code,
    string Name,
    /// <summary>NotApplicable when the dimension's protection requirement is low: its requirements are not asked (and not listed).</summary>
    Applicability Applicability,
    IReadOnlyList<ExportRequirement> Requirements,
    ExportProgress Progress);

public sealed record ExportRequirement(
    string Id,
    Aspect Aspect,
    string Text,
    /// <summary>ME: the life-cycle stage the catalog places the requirement in, and its name.</summary>
    int? Stage,
    string? StageName,
    IReadOnlyList<string> ExpectedEvidence,
    bool Complete,
    string? Problem,
    /// <summary>RI: risks and objectives; CR/ME: the answer given instead of criteria or measures; OA: the discrepancies.</summary>
    string? Answer,
    /// <summary>OA only: the degree of fulfilment.</summary>
    Fulfilment? Fulfilment,
    IReadOnlyList<ExportCriterion> Criteria,
    IReadOnlyList<ExportMeasure> Measures,
    IReadOnlyList<ExportEvidence> Evidence,
    bool CarriedOver,
    bool ChangedSincePrevious);

public sealed record ExportCriterion(
    int Id,
    string Kpi,
    double? TargetMin,
    double? TargetMax,
    string Unit,
    string Justification,
    double? Value,
    ExportValueSource ValueSource,
    CriterionOutcome Outcome,
    Fulfilment? Fulfilment,
    IReadOnlyList<ExportEvidence> Evidence,
    bool CarriedOver);

/// <summary>Where a criterion's value came from: typed in, read from a model of this application, or none.</summary>
public sealed record ExportValueSource(
    ExportValueKind Kind,
    /// <summary>One line for people, e.g. "model Relations 'FewRel' · model v3, metric Held-out max F1, measured at 2026-03-01 12:00 UTC".</summary>
    string Description,
    MetricSourceKind? Source,
    int? SourceId,
    string? SourceName,
    string? MetricKey,
    string? MetricName,
    DateTime? MeasuredAt,
    bool NewerVersionAvailable);

public enum ExportValueKind
{
    None,
    Manual,
    Model,
    /// <summary>Bound to a model or metric that no longer exists.</summary>
    ModelMissing,
}

public sealed record ExportMeasure(
    int Id,
    int Stage,
    string StageName,
    string Description,
    IReadOnlyList<string> EvidenceKinds,
    /// <summary>The risk area whose measures cover this one, instead of a description.</summary>
    string? ReferencedRiskArea,
    IReadOnlyList<ExportEvidence> Evidence,
    bool CarriedOver);

public sealed record ExportEvidence(
    int Id,
    string ItemCode,
    string Kind,
    string Title,
    string? Url,
    string? FileName,
    string? Sha256,
    long? Length,
    string Owner,
    DateOnly? ReviewDate,
    DateTime CreatedAt,
    string CreatedBy);

public sealed record ExportSummary(
    string Id,
    ResidualRisk? ResidualRisk,
    string? Explanation,
    /// <summary>Negative effects on other dimensions.</summary>
    string? Effects,
    IReadOnlyList<string> AffectedDimensions,
    bool Complete,
    string? Problem);

public sealed record ExportCrossDimensional(
    string Id,
    string Question,
    /// <summary>Whether the trade-off is asked: some residual risk is non-negligible but acceptable.</summary>
    bool Asked,
    string? Justification,
    bool Complete);

public sealed record ExportVerdict(Verdict Verdict, IReadOnlyList<string> Reasons, Verdict? VerdictAtClose);

public sealed record ExportSignOff(string Scope, string Role, string SignedBy, DateTime SignedAt, string Statement);

public sealed record ExportComment(
    string ItemCode, string Text, bool IsChangeRequest, string Author, DateTime CreatedAt, DateTime? ResolvedAt, string? ResolvedBy);

/// <summary>An uploaded evidence file as the export names it.</summary>
public sealed record EvidenceFile(string FileName, string Sha256, long Length);

/// <summary>Builds the <see cref="AssessmentExport"/> of a loaded assessment; pure, so the report and both exports agree.</summary>
public static class AssessmentExportBuilder
{
    public static AssessmentExport Build(AssessmentView view, IReadOnlyDictionary<Guid, EvidenceFile> files, DateTime generatedAt)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(files);
        var definition = view.Definition;
        var stages = definition.Stages.ToDictionary(s => s.Number, s => s.Name);
        var evidence = view.Evidence.Select(e => Evidence(e, files)).ToList();
        var placed = new HashSet<int>();

        IReadOnlyList<ExportEvidence> EvidenceWhere(Func<ExportEvidence, AssessmentEvidence, bool> match)
        {
            var found = evidence.Where((e, i) => match(e, view.Evidence[i])).ToList();
            placed.UnionWith(found.Select(e => e.Id));
            return found;
        }

        ExportCriterion Criterion(AssessmentCriterion c)
        {
            var reading = view.Metrics.GetValueOrDefault(c.Id);
            var (value, source) = ValueOf(c, reading);
            return new ExportCriterion(c.Id, c.Kpi, c.TargetMin, c.TargetMax, c.Unit, c.Justification, value, source,
                AssessmentRules.Check(value, c.TargetMin, c.TargetMax), c.Fulfilment,
                EvidenceWhere((_, e) => e.CriterionId == c.Id), c.CarriedOver);
        }

        ExportMeasure Measure(AssessmentMeasure m) =>
            new(m.Id, m.Stage, stages.GetValueOrDefault(m.Stage, $"Stage {m.Stage.ToString(CultureInfo.InvariantCulture)}"), m.Description,
                m.EvidenceKinds, string.IsNullOrWhiteSpace(m.ReferencedRiskArea) ? null : m.ReferencedRiskArea,
                EvidenceWhere((_, e) => e.MeasureId == m.Id), m.CarriedOver);

        ExportRequirement Requirement(Requirement requirement, ItemStatus status)
        {
            var answer = view.Answers.GetValueOrDefault(requirement.Id);
            var criteria = requirement.Aspect == Aspect.CR
                ? view.Criteria.Where(c => c.RequirementCode == requirement.Id).OrderBy(c => c.Order).ThenBy(c => c.Id).Select(Criterion).ToList()
                : [];
            var measures = requirement.Aspect == Aspect.ME
                ? view.Measures.Where(m => m.RequirementCode == requirement.Id).OrderBy(m => m.Stage).ThenBy(m => m.Order).ThenBy(m => m.Id).Select(Measure).ToList()
                : [];
            var ownEvidence = EvidenceWhere((_, e) => e.ItemCode == requirement.Id && e.MeasureId is null && e.CriterionId is null);
            return new ExportRequirement(requirement.Id, requirement.Aspect, requirement.Text, requirement.Stage,
                requirement.Stage is { } stage ? stages.GetValueOrDefault(stage) : null, requirement.Evidence ?? [],
                status.Complete, status.Problem, answer?.Text, requirement.Aspect == Aspect.OA ? answer?.Fulfilment : null,
                criteria, measures, ownEvidence,
                answer?.CarriedOver == true || criteria.Any(c => c.CarriedOver) || measures.Any(m => m.CarriedOver),
                view.ChangedSincePrevious.Contains(requirement.Id));
        }

        var dimensions = view.Evaluation.Dimensions.Select(d =>
        {
            var protection = view.Answers.GetValueOrDefault(d.Definition.Protection.Id);
            var riskAreas = d.RiskAreas.Select(area =>
            {
                var statuses = area.Items.ToDictionary(i => i.Code);
                var requirements = area.Applicability == Applicability.Applicable
                    ? area.Definition.Requirements.Where(r => statuses.ContainsKey(r.Id)).Select(r => Requirement(r, statuses[r.Id])).ToList()
                    : [];
                return new ExportRiskArea(area.Key, area.Definition.Code, area.Definition.Name, area.Applicability, requirements,
                    Progress(area.Progress));
            }).ToList();
            ExportSummary? summary = null;
            if (d.SummaryItem is { } summaryItem)
            {
                var answer = view.Answers.GetValueOrDefault(summaryItem.Code);
                summary = new ExportSummary(summaryItem.Code, answer?.ResidualRisk, answer?.Justification, answer?.Text,
                    answer?.AffectedDimensions ?? [], summaryItem.Complete, summaryItem.Problem);
            }
            return new ExportDimension(d.Definition.Code, d.Definition.Name, d.Definition.Protection.Id, protection?.Protection,
                protection?.Justification, d.ProtectionItem.Problem, d.Applicability, riskAreas, summary, d.Warnings, Progress(d.Progress));
        }).ToList();

        var profile = definition.Profile.Select(item =>
        {
            var answer = view.Answers.GetValueOrDefault(item.Id);
            return new ExportProfileItem(item.Id, item.Group, item.Text, answer?.Text, answer?.CarriedOver == true,
                view.ChangedSincePrevious.Contains(item.Id));
        }).ToList();

        var at = definition.CrossDimensional;
        var atItem = view.Evaluation.CrossDimensionalItem;
        var crossDimensional = new ExportCrossDimensional(at.Id, at.Text, atItem is not null,
            view.Answers.GetValueOrDefault(at.Id)?.Justification, atItem?.Complete ?? true);

        var assessment = view.Assessment;
        return new AssessmentExport(
            new ExportCatalog(definition.Key, definition.Version, definition.Title, definition.Credit),
            new ExportApplication(view.Application.Id, view.Application.Name, view.Application.Owner, view.Application.Description),
            new ExportAssessment(assessment.Id, assessment.Cycle, assessment.Version, assessment.Status, assessment.PreviousId,
                assessment.CreatedAt, assessment.CreatedByName, assessment.SubmittedAt, assessment.ClosedAt),
            profile,
            dimensions,
            crossDimensional,
            new ExportVerdict(view.Evaluation.Verdict.Verdict, view.Evaluation.Verdict.Reasons, assessment.VerdictAtClose),
            Progress(view.Evaluation.Overall),
            [.. view.SignOffs.OrderBy(s => s.SignedAt).Select(s => new ExportSignOff(s.Scope, s.Role, s.SignedByName, s.SignedAt, s.Statement))],
            [.. view.Comments.OrderBy(c => c.CreatedAt).Select(c => new ExportComment(c.ItemCode, c.Text, c.IsChangeRequest, c.AuthorName,
                c.CreatedAt, c.ResolvedAt, c.ResolvedByName))],
            [.. evidence.Where(e => !placed.Contains(e.Id))],
            generatedAt);
    }

    /// <summary>The value the criterion is checked with: the bound metric's when bound (even if it is gone), else the typed one.</summary>
    public static (double? Value, ExportValueSource Source) ValueOf(AssessmentCriterion criterion, MetricReading? reading)
    {
        ArgumentNullException.ThrowIfNull(criterion);
        if (criterion.MetricSource is { } kind)
        {
            if (reading is null)
            {
                return (null, new ExportValueSource(ExportValueKind.ModelMissing,
                    $"bound to metric '{criterion.MetricKey}' of {Describe(kind)} {criterion.MetricSourceId?.ToString(CultureInfo.InvariantCulture) ?? "?"}, which no longer exists",
                    kind, criterion.MetricSourceId, null, criterion.MetricKey, null, null, false));
            }
            var metric = reading.Metric;
            var description = string.Create(CultureInfo.InvariantCulture,
                $"model {metric.SourceName}, metric {metric.Name}, measured at {metric.MeasuredAt:yyyy-MM-dd HH:mm} UTC");
            if (reading.NewerVersionAvailable) description += " (a newer model exists)";
            return (metric.Value, new ExportValueSource(ExportValueKind.Model, description, metric.Source, metric.SourceId, metric.SourceName,
                metric.Key, metric.Name, metric.MeasuredAt, reading.NewerVersionAvailable));
        }
        return criterion.ManualValue is { } manual
            ? (manual, new ExportValueSource(ExportValueKind.Manual, "entered manually", null, null, null, null, null, null, false))
            : (null, new ExportValueSource(ExportValueKind.None, "no value", null, null, null, null, null, null, false));
    }

    private static string Describe(MetricSourceKind kind) => kind switch
    {
        MetricSourceKind.RelationModel => "relation model version",
        _ => "novelty model set",
    };

    private static ExportProgress Progress(Progress progress) => new(progress.Done, progress.Required);

    private static ExportEvidence Evidence(AssessmentEvidence e, IReadOnlyDictionary<Guid, EvidenceFile> files)
    {
        var file = e.UploadedFileId is { } id ? files.GetValueOrDefault(id) : null;
        return new ExportEvidence(e.Id, e.ItemCode, e.Kind, e.Title, e.Url, file?.FileName, file?.Sha256, file?.Length, e.Owner, e.ReviewDate,
            e.CreatedAt, e.CreatedByName);
    }
}
