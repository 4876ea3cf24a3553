using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Assessments.Rules;
using WebApp.Domain.Auditing;
using WebApp.Domain.Identity;

namespace WebApp.Web.Assessments;

/// <summary>The review workflow: comments and change requests, submission, sign-offs and closing.</summary>
public sealed partial class AssessmentService
{
    private const int OpenItemsShown = 5;

    public async Task<AssessmentComment> AddCommentAsync(ClaimsPrincipal user, int assessmentId, string itemCode, string text, bool isChangeRequest,
        CancellationToken ct = default)
    {
        RequireParticipant(user);
        if (isChangeRequest) RequireAuditor(user, "request changes");
        var body = Required(text, "Write the comment.", MaxTextLength);
        itemCode = itemCode.Trim();
        return await StepAsync(user, assessmentId, null, exclusive: false, async s =>
        {
            if (s.Assessment.Status is AssessmentStatus.Closed or AssessmentStatus.Superseded)
                throw new AssessmentException($"This assessment is {Describe(s.Assessment.Status)}; it takes no more comments.");
            if (isChangeRequest && s.Assessment.Status is not (AssessmentStatus.InReview or AssessmentStatus.ChangesRequested))
                throw new AssessmentException($"Changes are requested during the review; this assessment is {Describe(s.Assessment.Status)}.");
            if (itemCode.Length > 0 && !s.Index.Contains(itemCode)) throw NotInCatalog(itemCode);
            var comment = new AssessmentComment
            {
                AssessmentId = assessmentId,
                ItemCode = itemCode,
                Text = body,
                IsChangeRequest = isChangeRequest,
                AuthorId = s.Actor.UserId,
                AuthorName = s.Actor.Name,
                CreatedAt = s.Now,
            };
            s.Db.AssessmentComments.Add(comment);
            await s.Db.SaveChangesAsync(ct);
            await audit.RecordAsync(s.Db, s.Actor, "assessment.comment.add", EntityType, ItemEntity(assessmentId, itemCode), null,
                new { comment.Id, comment.ItemCode, comment.Text, comment.IsChangeRequest }, ct);
            return comment;
        }, ct);
    }

    /// <summary>Marks a comment as dealt with: a change request by the auditor only (the assessee replies), a plain comment by either.</summary>
    public async Task ResolveCommentAsync(ClaimsPrincipal user, int commentId, CancellationToken ct = default)
    {
        RequireParticipant(user);
        int assessmentId;
        await using (var lookup = await dbFactory.CreateDbContextAsync(ct))
        {
            assessmentId = await lookup.AssessmentComments.Where(c => c.Id == commentId).Select(c => (int?)c.AssessmentId).SingleOrDefaultAsync(ct)
                ?? throw new AssessmentException("There is no such comment.");
        }
        await StepAsync(user, assessmentId, null, exclusive: false, async s =>
        {
            if (s.Assessment.Status is not (AssessmentStatus.Draft or AssessmentStatus.InReview or AssessmentStatus.ChangesRequested))
                throw new AssessmentException($"This assessment is {Describe(s.Assessment.Status)}; its comments stay as they are.");
            var comment = await s.Db.AssessmentComments.AsNoTracking().SingleAsync(c => c.Id == commentId, ct);
            if (ReviewRules.ResolveRefusal(comment, s.Assessment.Status, ReviewerOf(user)) is { } refusal) throw new AssessmentException(refusal);
            var resolved = await s.Db.AssessmentComments.Where(c => c.Id == commentId && c.ResolvedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.ResolvedAt, s.Now).SetProperty(c => c.ResolvedByName, s.Actor.Name), ct);
            if (resolved == 0)
                throw new AssessmentConflictException($"This comment was already resolved by {comment.ResolvedByName} at {Time(comment.ResolvedAt!.Value)}.");
            await audit.RecordAsync(s.Db, s.Actor, "assessment.comment.resolve", EntityType, ItemEntity(assessmentId, comment.ItemCode),
                new { comment.Id, comment.Text, comment.IsChangeRequest, resolved = false }, new { comment.Id, resolved = true }, ct);
            return 0;
        }, ct);
    }

    /// <summary>The review's view of a user: what <see cref="ReviewRules"/> decides on.</summary>
    public static Reviewer ReviewerOf(ClaimsPrincipal user) =>
        new(user.IsInRole(Roles.Auditor), user.IsInRole(Roles.Assessee) || user.IsInRole(Roles.Admin));

    /// <summary>Assessee: Draft/ChangesRequested → InReview. Requires every applicable item to be complete.</summary>
    public Task SubmitAsync(ClaimsPrincipal user, int assessmentId, uint expectedRowVersion, CancellationToken ct = default)
    {
        RequireFiller(user);
        return StepAsync(user, assessmentId, expectedRowVersion, exclusive: true, async s =>
        {
            if (!s.Assessment.IsEditable)
                throw new AssessmentException($"Only a draft or an assessment with requested changes is submitted; this one is {Describe(s.Assessment.Status)}.");
            var evaluation = AssessmentRules.Evaluate(s.Definition, await StateAsync(s.Db, assessmentId, ct));
            var open = OpenItems(evaluation).ToList();
            if (open.Count > 0)
                throw new AssessmentException($"The assessment is not complete: {open.Count} open item{(open.Count == 1 ? "" : "s")} ({Listed(open)}). Complete them before submitting.");
            var comments = await s.Db.AssessmentComments.AsNoTracking().Where(c => c.AssessmentId == assessmentId).ToListAsync(ct);
            if (ReviewRules.SubmitRefusal(comments) is { } refusal) throw new AssessmentException(refusal);
            var before = s.Assessment.Status;
            s.Assessment.Status = AssessmentStatus.InReview;
            s.Assessment.SubmittedAt = s.Now;
            await s.Db.SaveChangesAsync(ct);
            await audit.RecordAsync(s.Db, s.Actor, "assessment.submit", EntityType, AssessmentEntity(assessmentId),
                new { status = before }, new { status = s.Assessment.Status, verdict = evaluation.Verdict.Verdict }, ct);
            return 0;
        }, ct);
    }

    /// <summary>Auditor: InReview → ChangesRequested, with a change request comment.</summary>
    public Task RequestChangesAsync(ClaimsPrincipal user, int assessmentId, uint expectedRowVersion, string message, CancellationToken ct = default)
    {
        RequireAuditor(user, "request changes");
        var text = Required(message, "Say which changes you request.", MaxTextLength);
        return StepAsync(user, assessmentId, expectedRowVersion, exclusive: true, async s =>
        {
            RequireInReview(s.Assessment, "request changes");
            s.Assessment.Status = AssessmentStatus.ChangesRequested;
            var comment = new AssessmentComment
            {
                AssessmentId = assessmentId,
                ItemCode = "",
                Text = text,
                IsChangeRequest = true,
                AuthorId = s.Actor.UserId,
                AuthorName = s.Actor.Name,
                CreatedAt = s.Now,
            };
            s.Db.AssessmentComments.Add(comment);
            await s.Db.SaveChangesAsync(ct);
            await audit.RecordAsync(s.Db, s.Actor, "assessment.changes.request", EntityType, AssessmentEntity(assessmentId),
                new { status = AssessmentStatus.InReview }, new { status = s.Assessment.Status, commentId = comment.Id, message = text }, ct);
            return 0;
        }, ct);
    }

    /// <summary>Auditor, InReview: signs off one dimension (no open change request on its items).</summary>
    public Task SignOffDimensionAsync(ClaimsPrincipal user, int assessmentId, uint expectedRowVersion, string dimensionCode, string statement,
        CancellationToken ct = default)
    {
        RequireAuditor(user, "sign off");
        return StepAsync(user, assessmentId, expectedRowVersion, exclusive: true, async s =>
        {
            RequireInReview(s.Assessment, "sign off");
            var dimension = s.Definition.Dimensions.FirstOrDefault(d => d.Code == dimensionCode)
                ?? throw new AssessmentException($"{dimensionCode} is not a dimension of this catalog.");
            await RequireIndependentAsync(s, ct);
            var existing = await s.Db.AssessmentSignOffs.AsNoTracking()
                .FirstOrDefaultAsync(x => x.AssessmentId == assessmentId && x.Scope == dimension.Code, ct);
            if (existing is not null)
                throw new AssessmentException($"{dimension.Name} was already signed off by {existing.SignedByName} at {Time(existing.SignedAt)}.");
            if (ReviewRules.DimensionSignOffRefusal(s.Definition, dimension.Code, await OpenChangeRequestsAsync(s.Db, assessmentId, ct), []) is { } refusal)
                throw new AssessmentException(refusal);
            var answer = await s.Db.AssessmentAnswers.AsNoTracking()
                .FirstOrDefaultAsync(a => a.AssessmentId == assessmentId && a.ItemCode == dimension.Protection.Id, ct);
            var signOff = AddSignOff(s, dimension.Code, Roles.Auditor, statement);
            await s.Db.SaveChangesAsync(ct);
            await audit.RecordAsync(s.Db, s.Actor, "assessment.signoff.dimension", EntityType, AssessmentEntity(assessmentId), null,
                new { dimension = dimension.Code, protection = answer?.Protection, signOff.Statement }, ct);
            return 0;
        }, ct);
    }

    /// <summary>Auditor, InReview, every dimension signed: → AuditorSignedOff (locked).</summary>
    public Task SignOffOverallAsync(ClaimsPrincipal user, int assessmentId, uint expectedRowVersion, string statement, CancellationToken ct = default)
    {
        RequireAuditor(user, "sign off");
        return StepAsync(user, assessmentId, expectedRowVersion, exclusive: true, async s =>
        {
            RequireInReview(s.Assessment, "sign off");
            await RequireIndependentAsync(s, ct);
            var signed = await s.Db.AssessmentSignOffs.Where(x => x.AssessmentId == assessmentId).Select(x => x.Scope).ToListAsync(ct);
            if (ReviewRules.OverallSignOffRefusal(s.Definition, await OpenChangeRequestsAsync(s.Db, assessmentId, ct), signed) is { } refusal)
                throw new AssessmentException(refusal);
            var evaluation = AssessmentRules.Evaluate(s.Definition, await StateAsync(s.Db, assessmentId, ct));
            AddSignOff(s, AssessmentSignOff.Overall, Roles.Auditor, statement);
            s.Assessment.Status = AssessmentStatus.AuditorSignedOff;
            await s.Db.SaveChangesAsync(ct);
            await audit.RecordAsync(s.Db, s.Actor, "assessment.signoff.overall", EntityType, AssessmentEntity(assessmentId),
                new { status = AssessmentStatus.InReview },
                new { status = s.Assessment.Status, verdict = evaluation.Verdict.Verdict, statement = statement.Trim() }, ct);
            return 0;
        }, ct);
    }

    /// <summary>Accountable authority, AuditorSignedOff → Closed; stores the verdict computed now.</summary>
    public Task CloseAsync(ClaimsPrincipal user, int assessmentId, uint expectedRowVersion, string statement, CancellationToken ct = default)
    {
        if (!user.IsInRole(Roles.AccountableAuthority)) throw new AssessmentException("Only the accountable authority closes an assessment.");
        return StepAsync(user, assessmentId, expectedRowVersion, exclusive: true, async s =>
        {
            if (s.Assessment.Status != AssessmentStatus.AuditorSignedOff)
                throw new AssessmentException($"An assessment is closed after the auditor's overall sign-off; this one is {Describe(s.Assessment.Status)}.");
            var evaluation = AssessmentRules.Evaluate(s.Definition, await StateAsync(s.Db, assessmentId, ct));
            AddSignOff(s, AssessmentSignOff.Authority, Roles.AccountableAuthority, statement);
            s.Assessment.Status = AssessmentStatus.Closed;
            s.Assessment.ClosedAt = s.Now;
            s.Assessment.VerdictAtClose = evaluation.Verdict.Verdict;
            await s.Db.SaveChangesAsync(ct);
            await audit.RecordAsync(s.Db, s.Actor, "assessment.close", EntityType, AssessmentEntity(assessmentId),
                new { status = AssessmentStatus.AuditorSignedOff },
                new { status = s.Assessment.Status, verdict = evaluation.Verdict.Verdict, reasons = evaluation.Verdict.Reasons, statement = statement.Trim() }, ct);
            return 0;
        }, ct);
    }

    // ---- the step frame ----

    private sealed record StepContext(AppDbContext Db, Assessment Assessment, CatalogDefinition Definition, CatalogItemIndex Index,
        AuditActor Actor, DateTime Now);

    /// <summary>
    /// One workflow step: locks the assessment (exclusive for status changes), checks the row version it was loaded with
    /// (when given), then runs <paramref name="step"/> and its audit record in one transaction.
    /// </summary>
    private async Task<T> StepAsync<T>(ClaimsPrincipal user, int assessmentId, uint? expectedRowVersion, bool exclusive,
        Func<StepContext, Task<T>> step, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var assessment = await LockAsync(db, assessmentId, exclusive, ct);
            if (expectedRowVersion is { } expected)
            {
                if (assessment.RowVersion != expected)
                {
                    var last = await LastChangeAsync(db, EntityType, AssessmentEntity(assessmentId), ct);
                    throw new AssessmentConflictException(
                        $"The assessment was changed{last} after you loaded it (it is now {Describe(assessment.Status)}); nothing was saved. Reload to see it.");
                }
                db.Entry(assessment).Property(a => a.RowVersion).OriginalValue = expected;
            }
            var definition = await catalogs.GetAsync(assessment.CatalogId, ct);
            var result = await step(new StepContext(db, assessment, definition, CatalogItemIndex.Of(definition), AuditActor.FromPrincipal(user),
                clock.GetUtcNow().UtcDateTime));
            await transaction.CommitAsync(ct);
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new AssessmentConflictException("The assessment was changed by someone else after you loaded it; nothing was saved. Reload to see it.");
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            throw new AssessmentConflictException("Someone signed this off at the same moment; nothing was saved. Reload to see it.");
        }
    }

    private static void RequireInReview(Assessment assessment, string what)
    {
        if (assessment.Status != AssessmentStatus.InReview)
            throw new AssessmentException($"An auditor may {what} while the assessment is in review; this one is {Describe(assessment.Status)}.");
    }

    /// <summary>Separation of duties: an auditor who filled in any part of this assessment does not sign it off.</summary>
    private static async Task RequireIndependentAsync(StepContext s, CancellationToken ct)
    {
        var entity = AssessmentEntity(s.Assessment.Id);
        var items = entity + ":";
        var byUser = s.Actor.UserId is { } userId
            ? s.Db.AuditRecords.Where(r => r.UserId == userId)
            : s.Db.AuditRecords.Where(r => r.UserName == s.Actor.Name);
        if (await byUser.AnyAsync(r => r.EntityType == EntityType && (r.EntityId == entity || r.EntityId.StartsWith(items))
                && FillingActions.Contains(r.Action), ct))
            throw new AssessmentException("You filled in parts of this assessment yourself, so another auditor must sign it off.");
    }

    private static AssessmentSignOff AddSignOff(StepContext s, string scope, string role, string statement)
    {
        var signOff = new AssessmentSignOff
        {
            AssessmentId = s.Assessment.Id,
            Scope = scope,
            Role = role,
            SignedById = s.Actor.UserId,
            SignedByName = s.Actor.Name,
            SignedAt = s.Now,
            Statement = Limited(statement, MaxTextLength, "The statement"),
        };
        s.Db.AssessmentSignOffs.Add(signOff);
        return signOff;
    }

    private static Task<List<string>> OpenChangeRequestsAsync(AppDbContext db, int assessmentId, CancellationToken ct) =>
        db.AssessmentComments.Where(c => c.AssessmentId == assessmentId && c.IsChangeRequest && c.ResolvedAt == null)
            .OrderBy(c => c.Id).Select(c => c.ItemCode).ToListAsync(ct);

    private static async Task<AssessmentState> StateAsync(AppDbContext db, int assessmentId, CancellationToken ct)
    {
        var answers = await db.AssessmentAnswers.AsNoTracking().Where(a => a.AssessmentId == assessmentId).ToDictionaryAsync(a => a.ItemCode, ct);
        var criteria = await db.AssessmentCriteria.AsNoTracking().Where(c => c.AssessmentId == assessmentId)
            .OrderBy(c => c.RequirementCode).ThenBy(c => c.Order).ThenBy(c => c.Id).ToListAsync(ct);
        var measures = await db.AssessmentMeasures.AsNoTracking().Where(m => m.AssessmentId == assessmentId)
            .OrderBy(m => m.RequirementCode).ThenBy(m => m.Stage).ThenBy(m => m.Order).ThenBy(m => m.Id).ToListAsync(ct);
        return new AssessmentState(answers, criteria, measures);
    }

    /// <summary>The codes of the applicable items that are not complete yet, in catalog order.</summary>
    public static IEnumerable<string> OpenItems(AssessmentEvaluation evaluation)
    {
        foreach (var item in evaluation.Profile.Where(i => !i.Complete)) yield return item.Code;
        foreach (var dimension in evaluation.Dimensions)
        {
            if (!dimension.ProtectionItem.Complete) yield return dimension.ProtectionItem.Code;
            foreach (var item in dimension.RiskAreas.SelectMany(a => a.Items).Where(i => !i.Complete)) yield return item.Code;
            if (dimension.SummaryItem is { Complete: false } summary) yield return summary.Code;
        }
        if (evaluation.CrossDimensionalItem is { Complete: false } cross) yield return cross.Code;
    }

    private static string Listed(IEnumerable<string> codes)
    {
        var list = codes.ToList();
        return list.Count <= OpenItemsShown ? string.Join(", ", list) : $"{string.Join(", ", list.Take(OpenItemsShown))}, …";
    }

    private static string Describe(AssessmentStatus status) => status switch
    {
        AssessmentStatus.Draft => "a draft",
        AssessmentStatus.InReview => "in review",
        AssessmentStatus.ChangesRequested => "back with the assessee for changes",
        AssessmentStatus.AuditorSignedOff => "signed off by the auditor",
        AssessmentStatus.Closed => "closed",
        _ => "superseded by a newer version",
    };
}
