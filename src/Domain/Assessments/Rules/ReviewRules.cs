using WebApp.Domain.Assessments.Catalog;

namespace WebApp.Domain.Assessments.Rules;

/// <summary>Who takes part in a review, as the rules see them (roles come from the signed-in user).</summary>
public sealed record Reviewer(bool IsAuditor, bool IsFiller);

/// <summary>
/// The review's rules: who resolves a comment, when a change request blocks a submission and when sign-off is allowed.
/// The pages offer only what these allow and the service refuses the rest with the same reasons.
/// </summary>
public static class ReviewRules
{
    private const int ItemsListed = 5;

    /// <summary>
    /// Why this user may not resolve the comment; null when they may. A change request is the auditor's: only an auditor
    /// resolves it, once satisfied (the assessee answers it with a reply and the changes); a plain comment may be resolved
    /// by the assessee or the auditor. Resolving happens while the assessment is with the assessee or in review.
    /// </summary>
    public static string? ResolveRefusal(AssessmentComment comment, AssessmentStatus status, Reviewer reviewer)
    {
        ArgumentNullException.ThrowIfNull(comment);
        ArgumentNullException.ThrowIfNull(reviewer);
        if (comment.IsChangeRequest)
        {
            if (!reviewer.IsAuditor) return "Only the auditor resolves a change request; reply to it and make the change, and the auditor resolves it in the review.";
            if (status is not (AssessmentStatus.InReview or AssessmentStatus.ChangesRequested))
                return "Change requests are resolved during the review.";
            return null;
        }
        if (!reviewer.IsAuditor && !reviewer.IsFiller) return "Only the assessee or the auditor resolves comments.";
        return status is AssessmentStatus.Draft or AssessmentStatus.InReview or AssessmentStatus.ChangesRequested
            ? null
            : "The comments of this assessment stay as they are.";
    }

    /// <summary>Open change requests nobody has replied to yet (a later comment on the same item by someone else): what keeps the assessee from resubmitting.</summary>
    public static IReadOnlyList<AssessmentComment> UnansweredChangeRequests(IEnumerable<AssessmentComment> comments)
    {
        var list = comments.ToList();
        return list.Where(request => request.IsChangeRequest && request.ResolvedAt is null
                && !list.Any(reply => reply.Id > request.Id && reply.ItemCode == request.ItemCode && !reply.IsChangeRequest
                    && !SameAuthor(reply, request)))
            .OrderBy(r => r.Id).ToList();
    }

    /// <summary>Why submitting is refused because of change requests; null when every open one has a reply.</summary>
    public static string? SubmitRefusal(IEnumerable<AssessmentComment> comments)
    {
        var unanswered = UnansweredChangeRequests(comments);
        return unanswered.Count == 0 ? null
            : $"Reply to the auditor's change requests first ({Listed(unanswered.Select(r => r.ItemCode))}); the auditor resolves them in the review.";
    }

    /// <summary>Why the auditor may not sign off this dimension yet; null when they may. Open change requests on its items block it.</summary>
    public static string? DimensionSignOffRefusal(CatalogDefinition catalog, string dimensionCode, IEnumerable<string> openChangeRequestItems,
        IEnumerable<string> signedScopes)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var dimension = catalog.Dimensions.FirstOrDefault(d => d.Code == dimensionCode);
        if (dimension is null) return $"{dimensionCode} is not a dimension of this catalog.";
        if (signedScopes.Contains(dimension.Code, StringComparer.Ordinal)) return $"{dimension.Name} is already signed off.";
        var requests = openChangeRequestItems.Where(code => DimensionOf(catalog, code) == dimension.Code).Distinct(StringComparer.Ordinal).ToList();
        return requests.Count == 0 ? null
            : $"{dimension.Name} has unresolved change requests ({Listed(requests)}); they must be resolved before its sign-off.";
    }

    /// <summary>Why the overall sign-off is refused; null when every dimension is signed off and no change request is open.</summary>
    public static string? OverallSignOffRefusal(CatalogDefinition catalog, IEnumerable<string> openChangeRequestItems, IEnumerable<string> signedScopes)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var signed = signedScopes.ToHashSet(StringComparer.Ordinal);
        var unsigned = catalog.Dimensions.Where(d => !signed.Contains(d.Code)).Select(d => $"{d.Name} ({d.Code})").ToList();
        if (unsigned.Count > 0)
            return $"Sign off every dimension first (low ones too, confirming their rating); still open: {string.Join(", ", unsigned)}.";
        var requests = openChangeRequestItems.ToList();
        return requests.Count == 0 ? null : $"Unresolved change requests remain ({Listed(requests.Distinct(StringComparer.Ordinal))}).";
    }

    /// <summary>The dimension an item belongs to; null for the profile, the trade-off and the assessment as a whole ("").</summary>
    public static string? DimensionOf(CatalogDefinition catalog, string itemCode)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        foreach (var dimension in catalog.Dimensions)
        {
            if (dimension.Protection.Id == itemCode || dimension.Summary.Id == itemCode) return dimension.Code;
            if (dimension.RiskAreas.Any(a => a.Requirements.Any(r => r.Id == itemCode))) return dimension.Code;
        }
        return null;
    }

    private static bool SameAuthor(AssessmentComment a, AssessmentComment b) =>
        a.AuthorId is not null && b.AuthorId is not null ? a.AuthorId == b.AuthorId : a.AuthorName == b.AuthorName;

    private static string Listed(IEnumerable<string> itemCodes)
    {
        var list = itemCodes.Select(c => c.Length == 0 ? "the assessment" : c).Distinct(StringComparer.Ordinal).ToList();
        return list.Count <= ItemsListed ? string.Join(", ", list) : $"{string.Join(", ", list.Take(ItemsListed))}, …";
    }
}
