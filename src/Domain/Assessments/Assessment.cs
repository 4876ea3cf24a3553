using WebApp.Domain.Assessments.Catalog;

namespace WebApp.Domain.Assessments;

/// <summary>
/// One assessment of an application against one catalog version: cycle 1, 2… (periodic re-assessment), and within a
/// cycle version 1, 2… (a signed assessment is locked; changing it makes a new version that supersedes it).
/// </summary>
public class Assessment
{
    public int Id { get; set; }
    public int ApplicationId { get; set; }
    public int CatalogId { get; set; }
    public int Cycle { get; set; }
    public int Version { get; set; }
    /// <summary>The assessment this one was copied from (previous cycle, or previous version of this cycle).</summary>
    public int? PreviousId { get; set; }
    public AssessmentStatus Status { get; set; }
    /// <summary>The verdict computed when the accountable authority closed it (kept as it was then).</summary>
    public Verdict? VerdictAtClose { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
    public DateTime? SubmittedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    /// <summary>PostgreSQL xmin: status changes and sign-offs refuse a stale view.</summary>
    public uint RowVersion { get; set; }

    /// <summary>Whether the assessee may change answers, criteria, measures and evidence.</summary>
    public bool IsEditable => Status is AssessmentStatus.Draft or AssessmentStatus.ChangesRequested;
}

/// <summary>
/// The answer to one catalog item of an assessment, by the item's identifier (PF-…, FN-P, FN-R-FN-RI-01, FN-R-FN-OA,
/// FN-S, AT). Which fields apply depends on the item: text for profile and RI/ME/CR notes; protection level and
/// justification for P; fulfilment and discrepancies (text) for OA; residual risk, effects (text) and affected
/// dimensions for S; trade-off justification for AT.
/// </summary>
public class AssessmentAnswer
{
    public int AssessmentId { get; set; }
    public string ItemCode { get; set; } = "";
    public string? Text { get; set; }
    public ProtectionLevel? Protection { get; set; }
    public string? Justification { get; set; }
    public Fulfilment? Fulfilment { get; set; }
    public ResidualRisk? ResidualRisk { get; set; }
    /// <summary>S only: the dimensions this one's residual risk or measures affect negatively.</summary>
    public string[] AffectedDimensions { get; set; } = [];
    /// <summary>Copied from the previous cycle and not yet confirmed or edited in this one.</summary>
    public bool CarriedOver { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string UpdatedByName { get; set; } = "";
    public uint RowVersion { get; set; }
}

/// <summary>
/// A criterion (CR) of a risk area: a KPI with a target interval and its justification. Its value is typed in, or
/// bound to a metric of a model of this application (<see cref="MetricSource"/>), read live.
/// </summary>
public class AssessmentCriterion
{
    public int Id { get; set; }
    public int AssessmentId { get; set; }
    /// <summary>The CR requirement it answers, e.g. RE-R-SC-CR-01.</summary>
    public string RequirementCode { get; set; } = "";
    public string Kpi { get; set; } = "";
    /// <summary>Inclusive lower bound of the target interval; null = unbounded.</summary>
    public double? TargetMin { get; set; }
    /// <summary>Inclusive upper bound of the target interval; null = unbounded.</summary>
    public double? TargetMax { get; set; }
    public string Unit { get; set; } = "";
    public string Justification { get; set; } = "";
    /// <summary>A value measured elsewhere and typed in (used when no metric is bound).</summary>
    public double? ManualValue { get; set; }
    public MetricSourceKind? MetricSource { get; set; }
    /// <summary>The model version (relation) or model set (novelty) id.</summary>
    public int? MetricSourceId { get; set; }
    /// <summary>The metric's key within the source, e.g. "heldOut.maxF1", "overall.rocAuc".</summary>
    public string? MetricKey { get; set; }
    /// <summary>The assessee's or auditor's judgement in the overall assessment (OA) of the risk area.</summary>
    public Fulfilment? Fulfilment { get; set; }
    public int Order { get; set; }
    public bool CarriedOver { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string UpdatedByName { get; set; } = "";
    public uint RowVersion { get; set; }
}

/// <summary>A measure (ME) taken at a life-cycle stage, backed by evidence; or a pointer to another risk area's measures.</summary>
public class AssessmentMeasure
{
    public int Id { get; set; }
    public int AssessmentId { get; set; }
    /// <summary>The ME requirement it answers, e.g. S-R-FS-ME-12.</summary>
    public string RequirementCode { get; set; } = "";
    /// <summary>Life-cycle stage number (1 data, 2 development, 3 embedding, 4 operation).</summary>
    public int Stage { get; set; }
    public string Description { get; set; } = "";
    /// <summary>Evidence kinds claimed: codes Do, Te, Pr.</summary>
    public string[] EvidenceKinds { get; set; } = [];
    /// <summary>Instead of repeating: the risk area key whose measures cover this one, e.g. "RE-R-RO".</summary>
    public string? ReferencedRiskArea { get; set; }
    public int Order { get; set; }
    public bool CarriedOver { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string UpdatedByName { get; set; } = "";
    public uint RowVersion { get; set; }
}

/// <summary>A piece of evidence: an uploaded file (in PostgreSQL) or a link, attached to an item, a measure or a criterion.</summary>
public class AssessmentEvidence
{
    public int Id { get; set; }
    public int AssessmentId { get; set; }
    /// <summary>The catalog item it supports (for a measure or criterion: its requirement code).</summary>
    public string ItemCode { get; set; } = "";
    public int? MeasureId { get; set; }
    public int? CriterionId { get; set; }
    /// <summary>Do, Te or Pr.</summary>
    public string Kind { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Url { get; set; }
    public Guid? UploadedFileId { get; set; }
    /// <summary>Who keeps this evidence current.</summary>
    public string Owner { get; set; } = "";
    /// <summary>When it must be reviewed again.</summary>
    public DateOnly? ReviewDate { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
}

/// <summary>An auditor's comment on an item; a change request blocks sign-off until resolved.</summary>
public class AssessmentComment
{
    public int Id { get; set; }
    public int AssessmentId { get; set; }
    /// <summary>The item commented on; "" for the assessment as a whole.</summary>
    public string ItemCode { get; set; } = "";
    public string Text { get; set; } = "";
    public bool IsChangeRequest { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? ResolvedByName { get; set; }
    public string? AuthorId { get; set; }
    public string AuthorName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>A sign-off: by the auditor per dimension (scope = dimension code) and overall, by the accountable authority.</summary>
public class AssessmentSignOff
{
    public const string Overall = "overall";
    public const string Authority = "authority";

    public int Id { get; set; }
    public int AssessmentId { get; set; }
    /// <summary>A dimension code, <see cref="Overall"/> or <see cref="Authority"/>.</summary>
    public string Scope { get; set; } = "";
    public string Role { get; set; } = "";
    public string? SignedById { get; set; }
    public string SignedByName { get; set; } = "";
    public DateTime SignedAt { get; set; }
    public string Statement { get; set; } = "";
}
