using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Rules;

namespace WebApp.UnitTests.Assessments;

public class ReviewRulesTests
{
    private static readonly Reviewer Assessee = new(IsAuditor: false, IsFiller: true);
    private static readonly Reviewer Auditor = new(IsAuditor: true, IsFiller: false);

    private static AssessmentComment Comment(int id, string item, string author, bool changeRequest = false, bool resolved = false) =>
        new()
        {
            Id = id,
            ItemCode = item,
            AuthorId = author,
            AuthorName = author,
            Text = "t",
            IsChangeRequest = changeRequest,
            ResolvedAt = resolved ? DateTime.UtcNow : null,
        };

    [Theory]
    [InlineData(AssessmentStatus.ChangesRequested)]
    [InlineData(AssessmentStatus.InReview)]
    public void Only_the_auditor_resolves_a_change_request(AssessmentStatus status)
    {
        var request = Comment(1, "RE-P", "alex", changeRequest: true);

        Assert.Contains("Only the auditor resolves a change request", ReviewRules.ResolveRefusal(request, status, Assessee));
        Assert.Null(ReviewRules.ResolveRefusal(request, status, Auditor));
        // An admin who fills in is no auditor either.
        Assert.NotNull(ReviewRules.ResolveRefusal(request, status, new Reviewer(false, true)));
    }

    [Fact]
    public void Change_requests_are_resolved_during_the_review_and_plain_comments_by_either()
    {
        Assert.NotNull(ReviewRules.ResolveRefusal(Comment(1, "", "alex", changeRequest: true), AssessmentStatus.Draft, Auditor));
        Assert.NotNull(ReviewRules.ResolveRefusal(Comment(1, "", "alex", changeRequest: true), AssessmentStatus.Closed, Auditor));
        Assert.Null(ReviewRules.ResolveRefusal(Comment(2, "RE-P", "alex"), AssessmentStatus.InReview, Assessee));
        Assert.NotNull(ReviewRules.ResolveRefusal(Comment(2, "RE-P", "alex"), AssessmentStatus.InReview, new Reviewer(false, false)));
    }

    [Fact]
    public void An_open_change_request_blocks_the_resubmission_until_someone_else_replies_on_its_item()
    {
        var request = Comment(5, "RE-R-SC-RI-01", "alex", changeRequest: true);
        var general = Comment(6, "", "alex", changeRequest: true);

        Assert.Equal([5, 6], ReviewRules.UnansweredChangeRequests([request, general]).Select(c => c.Id));
        Assert.Contains("RE-R-SC-RI-01, the assessment", ReviewRules.SubmitRefusal([request, general]));
        // The auditor's own follow-up is no reply; an earlier comment is none either.
        Assert.Equal(2, ReviewRules.UnansweredChangeRequests([Comment(4, "RE-R-SC-RI-01", "sam"), request, general, Comment(7, "RE-R-SC-RI-01", "alex")]).Count);
        Assert.Null(ReviewRules.SubmitRefusal([request, general, Comment(8, "RE-R-SC-RI-01", "sam"), Comment(9, "", "sam")]));
        // Resolved requests need no reply.
        Assert.Null(ReviewRules.SubmitRefusal([Comment(5, "RE-R-SC-RI-01", "alex", changeRequest: true, resolved: true)]));
    }

    [Fact]
    public void A_dimension_is_signed_off_only_without_open_change_requests_on_its_items()
    {
        var catalog = TestCatalog.Definition;

        Assert.Equal("Reliability has unresolved change requests (RE-R-SC-RI-01); they must be resolved before its sign-off.",
            ReviewRules.DimensionSignOffRefusal(catalog, "RE", ["RE-R-SC-RI-01", "FN-P", ""], []));
        Assert.Null(ReviewRules.DimensionSignOffRefusal(catalog, "DP", ["RE-R-SC-RI-01", "FN-P", ""], []));
        Assert.NotNull(ReviewRules.DimensionSignOffRefusal(catalog, "DP", [], ["DP"]));
        Assert.Equal("RE", ReviewRules.DimensionOf(catalog, "RE-S"));
        Assert.Null(ReviewRules.DimensionOf(catalog, "PF-T-FA-01"));
    }

    [Fact]
    public void The_overall_sign_off_needs_every_dimension_signed_and_no_open_change_request()
    {
        var catalog = TestCatalog.Definition;

        Assert.Contains("still open: Data Protection (DP)", ReviewRules.OverallSignOffRefusal(catalog, [], ["FN", "RE"]));
        Assert.Equal("Unresolved change requests remain (the assessment).", ReviewRules.OverallSignOffRefusal(catalog, [""], ["FN", "RE", "DP"]));
        Assert.Null(ReviewRules.OverallSignOffRefusal(catalog, [], ["FN", "RE", "DP"]));
    }
}
