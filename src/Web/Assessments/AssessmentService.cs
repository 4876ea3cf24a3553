using System.Security.Claims;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Assessments.Rules;
using WebApp.Domain.Auditing;

namespace WebApp.Web.Assessments;

/// <summary>A refused change: a rule of the procedure or the workflow, or bad input. The message is shown to the user as is.</summary>
public sealed class AssessmentException(string message) : Exception(message);

/// <summary>Someone changed the item (or the assessment's status) after it was loaded; nothing was written.</summary>
public sealed class AssessmentConflictException(string message) : Exception(message);

public sealed record ApplicationSummary(
    AiApplication Application,
    /// <summary>The newest assessment (highest cycle, then version), or null.</summary>
    Assessment? Latest,
    int Assessments);

/// <summary>Everything a page needs to show one assessment, loaded in one go.</summary>
public sealed record AssessmentView(
    Assessment Assessment,
    AiApplication Application,
    AssessmentCatalog Catalog,
    CatalogDefinition Definition,
    IReadOnlyDictionary<string, AssessmentAnswer> Answers,
    IReadOnlyList<AssessmentCriterion> Criteria,
    IReadOnlyList<AssessmentMeasure> Measures,
    IReadOnlyList<AssessmentEvidence> Evidence,
    IReadOnlyList<AssessmentComment> Comments,
    IReadOnlyList<AssessmentSignOff> SignOffs,
    /// <summary>Live readings of bound criteria, by criterion id.</summary>
    IReadOnlyDictionary<int, MetricReading?> Metrics,
    AssessmentEvaluation Evaluation,
    /// <summary>Item codes whose answer, criteria or measures differ from the assessment this one was copied from.</summary>
    IReadOnlySet<string> ChangedSincePrevious);

/// <summary>An answer as the user submits it; <see cref="ExpectedRowVersion"/> null means "I saw no answer yet".</summary>
public sealed record AnswerEdit(
    string ItemCode,
    uint? ExpectedRowVersion,
    string? Text = null,
    ProtectionLevel? Protection = null,
    string? Justification = null,
    Fulfilment? Fulfilment = null,
    ResidualRisk? ResidualRisk = null,
    IReadOnlyList<string>? AffectedDimensions = null);

/// <summary>A new criterion (<see cref="Id"/> null) or a change to one (with the row version it was loaded with).</summary>
public sealed record CriterionEdit(
    int? Id,
    uint? ExpectedRowVersion,
    string RequirementCode,
    string Kpi,
    double? TargetMin,
    double? TargetMax,
    string Unit,
    string Justification,
    double? ManualValue,
    MetricSourceKind? MetricSource,
    int? MetricSourceId,
    string? MetricKey,
    Fulfilment? Fulfilment);

public sealed record MeasureEdit(
    int? Id,
    uint? ExpectedRowVersion,
    string RequirementCode,
    int Stage,
    string Description,
    IReadOnlyList<string> EvidenceKinds,
    string? ReferencedRiskArea);

public sealed record LinkEvidence(string ItemCode, int? MeasureId, int? CriterionId, string Kind, string Title, string Url,
    string Owner, DateOnly? ReviewDate);

public sealed record FileEvidence(string ItemCode, int? MeasureId, int? CriterionId, string Kind, string Title,
    string Owner, DateOnly? ReviewDate);

/// <summary>
/// Every change to an assessment, each in one transaction with its audit record (entity type "Assessment", entity id
/// "{assessmentId}" for the assessment, "{assessmentId}:{itemCode}" for an item, so an item's history is a query by
/// entity). Edits check the row version they were loaded with; workflow steps check the role and status.
/// Roles: Assessee (or Admin) fills; Auditor comments, requests changes, signs off; AccountableAuthority closes.
/// </summary>
public sealed class AssessmentService
{
    public Task<IReadOnlyList<ApplicationSummary>> ListApplicationsAsync(CancellationToken ct = default) => throw new NotImplementedException();
    public Task<AiApplication> CreateApplicationAsync(ClaimsPrincipal user, string name, string owner, string description, CancellationToken ct = default) => throw new NotImplementedException();
    public Task<AiApplication> UpdateApplicationAsync(ClaimsPrincipal user, int applicationId, uint expectedRowVersion, string name, string owner, string description, CancellationToken ct = default) => throw new NotImplementedException();
    /// <summary>The assessments of an application, newest first.</summary>
    public Task<IReadOnlyList<Assessment>> ListAssessmentsAsync(int applicationId, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Cycle 1, version 1, against the newest version of the catalog (or the one given).</summary>
    public Task<Assessment> StartAssessmentAsync(ClaimsPrincipal user, int applicationId, int? catalogId = null, CancellationToken ct = default) => throw new NotImplementedException();
    /// <summary>Next cycle: copies the newest assessment's answers, criteria, measures and evidence, all flagged as carried over.</summary>
    public Task<Assessment> StartNextCycleAsync(ClaimsPrincipal user, int applicationId, CancellationToken ct = default) => throw new NotImplementedException();
    /// <summary>A signed (locked) assessment cannot change: this copies it into version + 1 of the same cycle and supersedes it.</summary>
    public Task<Assessment> StartNewVersionAsync(ClaimsPrincipal user, int assessmentId, CancellationToken ct = default) => throw new NotImplementedException();

    public Task<AssessmentView> LoadAsync(int assessmentId, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Saves an answer; returns it with its new row version. Refuses rule violations (e.g. Reliability low).</summary>
    public Task<AssessmentAnswer> SaveAnswerAsync(ClaimsPrincipal user, int assessmentId, AnswerEdit edit, CancellationToken ct = default) => throw new NotImplementedException();
    /// <summary>Confirms a carried-over item unchanged (clears its flag).</summary>
    public Task ConfirmCarriedOverAsync(ClaimsPrincipal user, int assessmentId, string itemCode, CancellationToken ct = default) => throw new NotImplementedException();
    public Task<AssessmentCriterion> SaveCriterionAsync(ClaimsPrincipal user, int assessmentId, CriterionEdit edit, CancellationToken ct = default) => throw new NotImplementedException();
    public Task DeleteCriterionAsync(ClaimsPrincipal user, int criterionId, uint expectedRowVersion, CancellationToken ct = default) => throw new NotImplementedException();
    public Task<AssessmentMeasure> SaveMeasureAsync(ClaimsPrincipal user, int assessmentId, MeasureEdit edit, CancellationToken ct = default) => throw new NotImplementedException();
    public Task DeleteMeasureAsync(ClaimsPrincipal user, int measureId, uint expectedRowVersion, CancellationToken ct = default) => throw new NotImplementedException();

    public Task<AssessmentEvidence> AddLinkEvidenceAsync(ClaimsPrincipal user, int assessmentId, LinkEvidence evidence, CancellationToken ct = default) => throw new NotImplementedException();
    /// <summary>Stores the file in PostgreSQL; refuses files over the size limit or whose content is not of an allowed type.</summary>
    public Task<AssessmentEvidence> AddFileEvidenceAsync(ClaimsPrincipal user, int assessmentId, FileEvidence evidence, Stream content, string fileName, CancellationToken ct = default) => throw new NotImplementedException();
    public Task DeleteEvidenceAsync(ClaimsPrincipal user, int evidenceId, CancellationToken ct = default) => throw new NotImplementedException();

    public Task<AssessmentComment> AddCommentAsync(ClaimsPrincipal user, int assessmentId, string itemCode, string text, bool isChangeRequest, CancellationToken ct = default) => throw new NotImplementedException();
    public Task ResolveCommentAsync(ClaimsPrincipal user, int commentId, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Assessee: Draft/ChangesRequested → InReview. Requires every applicable item to be complete.</summary>
    public Task SubmitAsync(ClaimsPrincipal user, int assessmentId, uint expectedRowVersion, CancellationToken ct = default) => throw new NotImplementedException();
    /// <summary>Auditor: InReview → ChangesRequested, with a change request comment.</summary>
    public Task RequestChangesAsync(ClaimsPrincipal user, int assessmentId, uint expectedRowVersion, string message, CancellationToken ct = default) => throw new NotImplementedException();
    /// <summary>Auditor, InReview: signs off one dimension (no open change request on its items).</summary>
    public Task SignOffDimensionAsync(ClaimsPrincipal user, int assessmentId, uint expectedRowVersion, string dimensionCode, string statement, CancellationToken ct = default) => throw new NotImplementedException();
    /// <summary>Auditor, InReview, every dimension signed: → AuditorSignedOff (locked).</summary>
    public Task SignOffOverallAsync(ClaimsPrincipal user, int assessmentId, uint expectedRowVersion, string statement, CancellationToken ct = default) => throw new NotImplementedException();
    /// <summary>Accountable authority, AuditorSignedOff → Closed; stores the verdict computed now.</summary>
    public Task CloseAsync(ClaimsPrincipal user, int assessmentId, uint expectedRowVersion, string statement, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>The audit records of one item (answers, criteria, measures, evidence, comments under its code), newest first.</summary>
    public Task<IReadOnlyList<AuditRecord>> ItemHistoryAsync(int assessmentId, string itemCode, CancellationToken ct = default) => throw new NotImplementedException();
}
