using System.Security.Claims;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Assessments.Rules;
using WebApp.Domain.Identity;

namespace WebApp.Web.Assessments;

/// <summary>
/// One loaded assessment as the pages and item components see it: the view, what the user's role may do in the
/// assessment's status (the service checks again), and how a change is run (errors shown, the view reloaded).
/// </summary>
public sealed class AssessmentSession(AssessmentView view, ClaimsPrincipal user, AssessmentService service,
    Func<Func<Task>, string?, Task<bool>> run)
{
    public AssessmentView View { get; } = view;
    public ClaimsPrincipal User { get; } = user;
    public AssessmentService Service { get; } = service;
    public int AssessmentId => View.Assessment.Id;

    public bool IsFiller => User.IsInRole(Roles.Assessee) || User.IsInRole(Roles.Admin);
    public bool IsAuditor => User.IsInRole(Roles.Auditor);
    public bool IsAuthority => User.IsInRole(Roles.AccountableAuthority);

    /// <summary>The assessee (or an admin) may change answers while the assessment is a draft or changes were requested.</summary>
    public bool CanFill => IsFiller && View.Assessment.IsEditable;
    public bool CanReview => IsAuditor && View.Assessment.Status == AssessmentStatus.InReview;
    public bool CanClose => IsAuthority && View.Assessment.Status == AssessmentStatus.AuditorSignedOff;
    public bool IsLocked => View.Assessment.Status is AssessmentStatus.AuditorSignedOff or AssessmentStatus.Closed or AssessmentStatus.Superseded;

    /// <summary>Runs a change; shows refusals and conflicts; reloads the view. True when the change went through.</summary>
    public Task<bool> RunAsync(Func<Task> change, string? success = null) => run(change, success);

    public AssessmentAnswer? Answer(string itemCode) => View.Answers.GetValueOrDefault(itemCode);

    /// <summary>Copied from the previous cycle and neither confirmed nor edited since.</summary>
    public bool IsCarriedOver(string itemCode) =>
        Answer(itemCode)?.CarriedOver == true
        || View.Criteria.Any(c => c.RequirementCode == itemCode && c.CarriedOver)
        || View.Measures.Any(m => m.RequirementCode == itemCode && m.CarriedOver);

    public bool ChangedSincePrevious(string itemCode) => View.ChangedSincePrevious.Contains(itemCode);

    /// <summary>The item's state in the evaluation; null when it is not asked (e.g. a skipped risk area).</summary>
    public ItemStatus? Status(string itemCode) =>
        View.Evaluation.Profile.FirstOrDefault(i => i.Code == itemCode)
        ?? View.Evaluation.Dimensions.SelectMany(DimensionItems).FirstOrDefault(i => i.Code == itemCode)
        ?? (View.Evaluation.CrossDimensionalItem?.Code == itemCode ? View.Evaluation.CrossDimensionalItem : null);

    /// <summary>Items carried over and not yet confirmed or changed: what a new cycle asks to review.</summary>
    public int CarriedOverCount =>
        View.Answers.Values.Where(a => a.CarriedOver).Select(a => a.ItemCode)
            .Concat(View.Criteria.Where(c => c.CarriedOver).Select(c => c.RequirementCode))
            .Concat(View.Measures.Where(m => m.CarriedOver).Select(m => m.RequirementCode))
            .Distinct(StringComparer.Ordinal).Count();

    /// <summary>The page that asks an item: the profile, its dimension (P, S), its risk area, or the assessment's home (AT, "").</summary>
    public string PageOf(string itemCode)
    {
        var home = $"assessments/{AssessmentId}";
        var definition = View.Definition;
        if (definition.Profile.Any(i => i.Id == itemCode)) return $"{home}/profile";
        foreach (var dimension in definition.Dimensions)
        {
            if (dimension.Protection.Id == itemCode || dimension.Summary.Id == itemCode) return $"{home}/dimensions/{dimension.Code}";
            foreach (var area in dimension.RiskAreas.Where(a => a.Requirements.Any(r => r.Id == itemCode)))
            {
                return $"{home}/risk-areas/{RiskAreaDefinition.KeyOf(dimension.Code, area.Code)}";
            }
        }
        return home;
    }

    public Reviewer Reviewer => AssessmentService.ReviewerOf(User);

    /// <summary>Whether this user may resolve the comment now (<see cref="ReviewRules.ResolveRefusal"/>): a change request is the auditor's.</summary>
    public bool CanResolve(AssessmentComment comment) => ReviewRules.ResolveRefusal(comment, View.Assessment.Status, Reviewer) is null;

    /// <summary>An open change request the assessee has not replied to yet.</summary>
    public bool IsUnanswered(AssessmentComment comment) => ReviewRules.UnansweredChangeRequests(View.Comments).Any(c => c.Id == comment.Id);

    /// <summary>Why the auditor may not sign off the dimension now; null when the sign-off is offered.</summary>
    public string? DimensionSignOffRefusal(string dimensionCode) =>
        ReviewRules.DimensionSignOffRefusal(View.Definition, dimensionCode, OpenChangeRequests.Select(c => c.ItemCode), View.SignOffs.Select(s => s.Scope));

    /// <summary>Why the auditor may not sign off overall now; null when the sign-off is offered.</summary>
    public string? OverallSignOffRefusal =>
        ReviewRules.OverallSignOffRefusal(View.Definition, OpenChangeRequests.Select(c => c.ItemCode), View.SignOffs.Select(s => s.Scope));

    public IReadOnlyList<AssessmentComment> OpenChangeRequests =>
        View.Comments.Where(c => c.IsChangeRequest && c.ResolvedAt is null).OrderBy(c => c.CreatedAt).ToList();

    public IReadOnlyList<AssessmentComment> Comments(string itemCode) =>
        View.Comments.Where(c => c.ItemCode == itemCode).OrderBy(c => c.CreatedAt).ToList();

    private static IEnumerable<ItemStatus> DimensionItems(DimensionEvaluation dimension) =>
        dimension.RiskAreas.SelectMany(a => a.Items)
            .Append(dimension.ProtectionItem)
            .Concat(dimension.SummaryItem is null ? [] : [dimension.SummaryItem]);
}
