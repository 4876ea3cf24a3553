using System.Text.Json.Serialization;

namespace WebApp.Domain.Assessments;

/// <summary>How much protection a dimension needs for this application; low skips its risk areas.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProtectionLevel>))]
public enum ProtectionLevel { Low, Medium, High }

/// <summary>The residual risk of a dimension after its measures.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResidualRisk>))]
public enum ResidualRisk
{
    Negligible,
    /// <summary>Non-negligible but acceptable: needs a justified trade-off in the cross-dimensional assessment.</summary>
    Acceptable,
    Unacceptable,
}

/// <summary>Degree to which criteria are met (per criterion, and overall for a risk area).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Fulfilment>))]
public enum Fulfilment { Met, PartlyMet, NotMet }

[JsonConverter(typeof(JsonStringEnumConverter<AssessmentStatus>))]
public enum AssessmentStatus
{
    /// <summary>The assessee fills it in.</summary>
    Draft,
    /// <summary>Submitted; the auditor comments and signs off. The assessee cannot edit.</summary>
    InReview,
    /// <summary>The auditor asked for changes; the assessee edits again.</summary>
    ChangesRequested,
    /// <summary>The auditor signed off overall: locked; waits for the accountable authority.</summary>
    AuditorSignedOff,
    /// <summary>The accountable authority signed: locked for good. Changing it means a new version.</summary>
    Closed,
    /// <summary>A newer version of the same cycle replaced it.</summary>
    Superseded,
}

/// <summary>The computed cross-dimensional verdict (AT).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    /// <summary>Not every applicable dimension is rated and summarised yet.</summary>
    Incomplete,
    /// <summary>Every applicable dimension's residual risk is negligible.</summary>
    Trustworthy,
    /// <summary>Some residual risk is non-negligible but acceptable, and the trade-off is justified.</summary>
    TrustworthyWithAcceptedRisk,
    NotTrustworthy,
}

/// <summary>Where a criterion's KPI value comes from when it is bound to a model of this application.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MetricSourceKind>))]
public enum MetricSourceKind
{
    /// <summary>A relation model version (<c>ModelVersions</c>).</summary>
    RelationModel,
    /// <summary>A novelty model set (its stored evaluation on the labelled test part).</summary>
    NoveltyModelSet,
}
