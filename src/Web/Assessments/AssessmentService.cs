using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebApp.Domain;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Assessments.Rules;
using WebApp.Domain.Auditing;
using WebApp.Domain.Identity;
using WebApp.Domain.Uploads;

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
public sealed partial class AssessmentService(
    IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, CatalogStore catalogs, ModelMetricSource metrics,
    UploadStore uploads, TimeProvider clock)
{
    public const string EntityType = "Assessment";
    public const string ApplicationEntityType = "AiApplication";
    public const int MaxTextLength = 20000;

    /// <summary>What counts as filling in an assessment: an auditor who did any of it may not sign it off.</summary>
    private static readonly string[] FillingActions =
    [
        "assessment.start", "assessment.cycle.start", "assessment.version.start", "assessment.answer.save",
        "assessment.carryover.confirm", "assessment.criterion.save", "assessment.criterion.delete", "assessment.measure.save",
        "assessment.measure.delete", "assessment.evidence.add", "assessment.evidence.delete", "assessment.submit",
    ];

    /// <summary>Saves an answer; returns it with its new row version. Refuses rule violations (e.g. Reliability low).</summary>
    public Task<AssessmentAnswer> SaveAnswerAsync(ClaimsPrincipal user, int assessmentId, AnswerEdit edit, CancellationToken ct = default) =>
        EditItemsAsync(user, assessmentId, edit.ItemCode, async c =>
        {
            var item = c.Index.Find(edit.ItemCode) ?? throw NotInCatalog(edit.ItemCode);
            CheckAnswerFields(c.Index, item, edit);
            var answer = await c.Db.AssessmentAnswers.FirstOrDefaultAsync(a => a.AssessmentId == assessmentId && a.ItemCode == edit.ItemCode, ct);
            CheckItemVersion(edit.ItemCode, answer is null ? null : (answer.RowVersion, answer.UpdatedByName, answer.UpdatedAt), edit.ExpectedRowVersion);
            var before = answer is null ? null : AnswerRecord(answer);
            if (answer is null)
            {
                answer = new AssessmentAnswer { AssessmentId = assessmentId, ItemCode = edit.ItemCode };
                c.Db.AssessmentAnswers.Add(answer);
            }
            else
            {
                c.Db.Entry(answer).Property(a => a.RowVersion).OriginalValue = edit.ExpectedRowVersion!.Value;
            }
            answer.Text = Clean(edit.Text);
            answer.Protection = edit.Protection;
            answer.Justification = Clean(edit.Justification);
            answer.Fulfilment = edit.Fulfilment;
            answer.ResidualRisk = edit.ResidualRisk;
            answer.AffectedDimensions = (edit.AffectedDimensions ?? []).Distinct(StringComparer.Ordinal).ToArray();
            answer.CarriedOver = false;
            answer.UpdatedAt = c.Now;
            answer.UpdatedByName = c.Actor.Name;
            await c.Db.SaveChangesAsync(ct);
            await WithdrawSignOffAsync(c, item.Dimension, edit.ItemCode, ct);
            await audit.RecordAsync(c.Db, c.Actor, "assessment.answer.save", EntityType, ItemEntity(assessmentId, edit.ItemCode),
                before, AnswerRecord(answer), ct);
            return answer;
        }, ct);

    /// <summary>Confirms a carried-over item unchanged (clears its flag on the answer, criteria and measures of that code).</summary>
    public Task ConfirmCarriedOverAsync(ClaimsPrincipal user, int assessmentId, string itemCode, CancellationToken ct = default) =>
        EditItemsAsync(user, assessmentId, itemCode, async c =>
        {
            if (!c.Index.Contains(itemCode)) throw NotInCatalog(itemCode);
            var answers = await c.Db.AssessmentAnswers.Where(a => a.AssessmentId == assessmentId && a.ItemCode == itemCode && a.CarriedOver).ToListAsync(ct);
            var criteria = await c.Db.AssessmentCriteria.Where(x => x.AssessmentId == assessmentId && x.RequirementCode == itemCode && x.CarriedOver).ToListAsync(ct);
            var measures = await c.Db.AssessmentMeasures.Where(x => x.AssessmentId == assessmentId && x.RequirementCode == itemCode && x.CarriedOver).ToListAsync(ct);
            if (answers.Count + criteria.Count + measures.Count == 0) return 0;
            answers.ForEach(a => a.CarriedOver = false);
            criteria.ForEach(x => x.CarriedOver = false);
            measures.ForEach(x => x.CarriedOver = false);
            await c.Db.SaveChangesAsync(ct);
            await audit.RecordAsync(c.Db, c.Actor, "assessment.carryover.confirm", EntityType, ItemEntity(assessmentId, itemCode),
                new { carriedOver = true }, new { carriedOver = false, answer = answers.Count, criteria = criteria.Count, measures = measures.Count }, ct);
            return 0;
        }, ct);

    public Task<AssessmentCriterion> SaveCriterionAsync(ClaimsPrincipal user, int assessmentId, CriterionEdit edit, CancellationToken ct = default) =>
        EditItemsAsync(user, assessmentId, edit.RequirementCode, async c =>
        {
            var item = c.Index.Find(edit.RequirementCode);
            if (item?.Requirement?.Aspect != Aspect.CR)
                throw new AssessmentException($"{edit.RequirementCode} is not a criteria (CR) requirement of this catalog.");
            var kpi = Required(edit.Kpi, "Name the KPI of the criterion.", 500);
            CheckFinite(edit.TargetMin, "target minimum");
            CheckFinite(edit.TargetMax, "target maximum");
            CheckFinite(edit.ManualValue, "value");
            if (edit.TargetMin > edit.TargetMax)
                throw new AssessmentException($"The target interval of '{kpi}' is empty: its minimum is above its maximum.");
            await CheckBindingAsync(edit, kpi, ct);

            AssessmentCriterion criterion;
            object? before = null;
            if (edit.Id is { } id)
            {
                criterion = await c.Db.AssessmentCriteria.FirstOrDefaultAsync(x => x.Id == id && x.AssessmentId == assessmentId, ct)
                    ?? throw await RemovedAsync(c.Db, assessmentId, edit.RequirementCode, $"The criterion '{kpi}'", ct);
                if (criterion.RequirementCode != edit.RequirementCode)
                    throw new AssessmentException("A criterion stays with its requirement; add a new one to the other requirement instead.");
                CheckItemVersion($"The criterion '{criterion.Kpi}' ({criterion.RequirementCode})",
                    (criterion.RowVersion, criterion.UpdatedByName, criterion.UpdatedAt), edit.ExpectedRowVersion);
                c.Db.Entry(criterion).Property(x => x.RowVersion).OriginalValue = edit.ExpectedRowVersion!.Value;
                before = CriterionRecord(criterion);
            }
            else
            {
                var order = await c.Db.AssessmentCriteria.Where(x => x.AssessmentId == assessmentId && x.RequirementCode == edit.RequirementCode)
                    .MaxAsync(x => (int?)x.Order, ct) ?? -1;
                criterion = new AssessmentCriterion { AssessmentId = assessmentId, RequirementCode = edit.RequirementCode, Order = order + 1 };
                c.Db.AssessmentCriteria.Add(criterion);
            }
            criterion.Kpi = kpi;
            criterion.TargetMin = edit.TargetMin;
            criterion.TargetMax = edit.TargetMax;
            criterion.Unit = Limited(edit.Unit, 50, "The unit");
            criterion.Justification = Limited(edit.Justification, MaxTextLength, "The justification");
            criterion.ManualValue = edit.ManualValue;
            criterion.MetricSource = edit.MetricSource;
            criterion.MetricSourceId = edit.MetricSource is null ? null : edit.MetricSourceId;
            criterion.MetricKey = edit.MetricSource is null ? null : edit.MetricKey!.Trim();
            criterion.Fulfilment = edit.Fulfilment;
            criterion.CarriedOver = false;
            criterion.UpdatedAt = c.Now;
            criterion.UpdatedByName = c.Actor.Name;
            await c.Db.SaveChangesAsync(ct);
            await WithdrawSignOffAsync(c, item.Dimension, edit.RequirementCode, ct);
            await audit.RecordAsync(c.Db, c.Actor, "assessment.criterion.save", EntityType, ItemEntity(assessmentId, edit.RequirementCode),
                before, CriterionRecord(criterion), ct);
            return criterion;
        }, ct);

    public async Task DeleteCriterionAsync(ClaimsPrincipal user, int criterionId, uint expectedRowVersion, CancellationToken ct = default)
    {
        var (assessmentId, code) = await OwnerAsync(db => db.AssessmentCriteria.Where(x => x.Id == criterionId)
            .Select(x => new ValueTuple<int, string>(x.AssessmentId, x.RequirementCode)), "criterion", ct);
        await EditItemsAsync(user, assessmentId, code, async c =>
        {
            var criterion = await c.Db.AssessmentCriteria.FirstOrDefaultAsync(x => x.Id == criterionId, ct)
                ?? throw await RemovedAsync(c.Db, assessmentId, code, "The criterion", ct);
            CheckItemVersion($"The criterion '{criterion.Kpi}' ({code})", (criterion.RowVersion, criterion.UpdatedByName, criterion.UpdatedAt), expectedRowVersion);
            c.Db.Entry(criterion).Property(x => x.RowVersion).OriginalValue = expectedRowVersion;
            var evidence = await c.Db.AssessmentEvidence.Where(e => e.CriterionId == criterionId).Select(e => e.Title).ToListAsync(ct);
            c.Db.AssessmentCriteria.Remove(criterion);
            await c.Db.SaveChangesAsync(ct);
            await WithdrawSignOffAsync(c, c.Index.Find(code)?.Dimension, code, ct);
            await audit.RecordAsync(c.Db, c.Actor, "assessment.criterion.delete", EntityType, ItemEntity(assessmentId, code),
                new { criterion = CriterionRecord(criterion), evidence }, null, ct);
            return 0;
        }, ct);
    }

    public Task<AssessmentMeasure> SaveMeasureAsync(ClaimsPrincipal user, int assessmentId, MeasureEdit edit, CancellationToken ct = default) =>
        EditItemsAsync(user, assessmentId, edit.RequirementCode, async c =>
        {
            var item = c.Index.Find(edit.RequirementCode);
            if (item?.Requirement?.Aspect != Aspect.ME)
                throw new AssessmentException($"{edit.RequirementCode} is not a measures (ME) requirement of this catalog.");
            if (!c.Index.Stages.Contains(edit.Stage))
                throw new AssessmentException($"A measure belongs to a life-cycle stage {string.Join(", ", c.Index.Stages.Order())}; {edit.Stage} is none of them.");
            var kinds = edit.EvidenceKinds.Select(k => k.Trim()).Distinct(StringComparer.Ordinal).ToArray();
            CheckEvidenceKinds(c.Index, kinds);
            var reference = Clean(edit.ReferencedRiskArea);
            if (reference is not null && (!c.Index.RiskAreaKeys.Contains(reference) || reference == item.RiskAreaKey))
                throw new AssessmentException($"'{reference}' is not another risk area of this catalog (write it like RE-R-RO).");

            AssessmentMeasure measure;
            object? before = null;
            if (edit.Id is { } id)
            {
                measure = await c.Db.AssessmentMeasures.FirstOrDefaultAsync(x => x.Id == id && x.AssessmentId == assessmentId, ct)
                    ?? throw await RemovedAsync(c.Db, assessmentId, edit.RequirementCode, $"The measure of {edit.RequirementCode}", ct);
                if (measure.RequirementCode != edit.RequirementCode)
                    throw new AssessmentException("A measure stays with its requirement; add a new one to the other requirement instead.");
                CheckItemVersion($"The measure of {measure.RequirementCode}", (measure.RowVersion, measure.UpdatedByName, measure.UpdatedAt), edit.ExpectedRowVersion);
                c.Db.Entry(measure).Property(x => x.RowVersion).OriginalValue = edit.ExpectedRowVersion!.Value;
                before = MeasureRecord(measure);
            }
            else
            {
                var order = await c.Db.AssessmentMeasures.Where(x => x.AssessmentId == assessmentId && x.RequirementCode == edit.RequirementCode)
                    .MaxAsync(x => (int?)x.Order, ct) ?? -1;
                measure = new AssessmentMeasure { AssessmentId = assessmentId, RequirementCode = edit.RequirementCode, Order = order + 1 };
                c.Db.AssessmentMeasures.Add(measure);
            }
            measure.Stage = edit.Stage;
            measure.Description = Limited(edit.Description, MaxTextLength, "The description");
            measure.EvidenceKinds = kinds;
            measure.ReferencedRiskArea = reference;
            measure.CarriedOver = false;
            measure.UpdatedAt = c.Now;
            measure.UpdatedByName = c.Actor.Name;
            await c.Db.SaveChangesAsync(ct);
            await WithdrawSignOffAsync(c, item.Dimension, edit.RequirementCode, ct);
            await audit.RecordAsync(c.Db, c.Actor, "assessment.measure.save", EntityType, ItemEntity(assessmentId, edit.RequirementCode),
                before, MeasureRecord(measure), ct);
            return measure;
        }, ct);

    public async Task DeleteMeasureAsync(ClaimsPrincipal user, int measureId, uint expectedRowVersion, CancellationToken ct = default)
    {
        var (assessmentId, code) = await OwnerAsync(db => db.AssessmentMeasures.Where(x => x.Id == measureId)
            .Select(x => new ValueTuple<int, string>(x.AssessmentId, x.RequirementCode)), "measure", ct);
        await EditItemsAsync(user, assessmentId, code, async c =>
        {
            var measure = await c.Db.AssessmentMeasures.FirstOrDefaultAsync(x => x.Id == measureId, ct)
                ?? throw await RemovedAsync(c.Db, assessmentId, code, $"The measure of {code}", ct);
            CheckItemVersion($"The measure of {code}", (measure.RowVersion, measure.UpdatedByName, measure.UpdatedAt), expectedRowVersion);
            c.Db.Entry(measure).Property(x => x.RowVersion).OriginalValue = expectedRowVersion;
            var evidence = await c.Db.AssessmentEvidence.Where(e => e.MeasureId == measureId).Select(e => e.Title).ToListAsync(ct);
            c.Db.AssessmentMeasures.Remove(measure);
            await c.Db.SaveChangesAsync(ct);
            await WithdrawSignOffAsync(c, c.Index.Find(code)?.Dimension, code, ct);
            await audit.RecordAsync(c.Db, c.Actor, "assessment.measure.delete", EntityType, ItemEntity(assessmentId, code),
                new { measure = MeasureRecord(measure), evidence }, null, ct);
            return 0;
        }, ct);
    }

    public Task<AssessmentEvidence> AddLinkEvidenceAsync(ClaimsPrincipal user, int assessmentId, LinkEvidence evidence, CancellationToken ct = default)
    {
        if (!Uri.TryCreate(evidence.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
            throw new AssessmentException("A link is an absolute http:// or https:// address.");
        if (url.AbsoluteUri.Length > 2000) throw new AssessmentException("The link is longer than 2000 characters.");
        return EditItemsAsync(user, assessmentId, evidence.ItemCode, async c =>
        {
            await CheckEvidenceTargetAsync(c, evidence.ItemCode, evidence.MeasureId, evidence.CriterionId, evidence.Kind, ct);
            var row = NewEvidence(c, evidence.ItemCode, evidence.MeasureId, evidence.CriterionId, evidence.Kind, evidence.Title,
                evidence.Owner, evidence.ReviewDate);
            row.Url = url.AbsoluteUri;
            return await AddEvidenceAsync(c, row, ct);
        }, ct);
    }

    /// <summary>Stores the file in PostgreSQL; refuses files over the size limit or whose content is not of an allowed type.</summary>
    public async Task<AssessmentEvidence> AddFileEvidenceAsync(ClaimsPrincipal user, int assessmentId, FileEvidence evidence, Stream content,
        string fileName, CancellationToken ct = default)
    {
        RequireFiller(user);
        string contentType;
        try
        {
            contentType = EvidenceFileRules.ContentTypeOf(fileName);
        }
        catch (InvalidDataException e)
        {
            throw new AssessmentException(e.Message);
        }
        // Everything but the content is checked before the upload, so a refused edit stores nothing.
        await EditItemsAsync(user, assessmentId, evidence.ItemCode, async c =>
        {
            await CheckEvidenceTargetAsync(c, evidence.ItemCode, evidence.MeasureId, evidence.CriterionId, evidence.Kind, ct);
            NewEvidence(c, evidence.ItemCode, evidence.MeasureId, evidence.CriterionId, evidence.Kind, evidence.Title, evidence.Owner, evidence.ReviewDate);
            return 0;
        }, ct);
        var actor = AuditActor.FromPrincipal(user);
        Guid fileId;
        try
        {
            fileId = (await uploads.SaveAsync(EvidenceFileRules.Checked(content, fileName), fileName, contentType, actor.Name,
                EvidenceFileRules.MaxBytes, ct)).Id;
        }
        catch (InvalidDataException e)
        {
            throw new AssessmentException(e.Message);
        }
        try
        {
            return await EditItemsAsync(user, assessmentId, evidence.ItemCode, async c =>
            {
                await CheckEvidenceTargetAsync(c, evidence.ItemCode, evidence.MeasureId, evidence.CriterionId, evidence.Kind, ct);
                var row = NewEvidence(c, evidence.ItemCode, evidence.MeasureId, evidence.CriterionId, evidence.Kind, evidence.Title,
                    evidence.Owner, evidence.ReviewDate);
                row.UploadedFileId = fileId;
                return await AddEvidenceAsync(c, row, ct);
            }, ct);
        }
        catch
        {
            // The assessment changed between the check and the upload: the file belongs to nothing.
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.UploadedFiles.Where(f => f.Id == fileId).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>Removes the evidence from this assessment; an uploaded file stays stored (earlier versions and the audit trail refer to it).</summary>
    public async Task DeleteEvidenceAsync(ClaimsPrincipal user, int evidenceId, CancellationToken ct = default)
    {
        var (assessmentId, code) = await OwnerAsync(db => db.AssessmentEvidence.Where(x => x.Id == evidenceId)
            .Select(x => new ValueTuple<int, string>(x.AssessmentId, x.ItemCode)), "evidence", ct);
        await EditItemsAsync(user, assessmentId, code, async c =>
        {
            var evidence = await c.Db.AssessmentEvidence.FirstOrDefaultAsync(x => x.Id == evidenceId, ct)
                ?? throw await RemovedAsync(c.Db, assessmentId, code, "This evidence", ct);
            c.Db.AssessmentEvidence.Remove(evidence);
            await c.Db.SaveChangesAsync(ct);
            await WithdrawSignOffAsync(c, c.Index.Find(code)?.Dimension, code, ct);
            await audit.RecordAsync(c.Db, c.Actor, "assessment.evidence.delete", EntityType, ItemEntity(assessmentId, code),
                EvidenceRecord(evidence), null, ct);
            return 0;
        }, ct);
    }

    /// <summary>
    /// The audit records of one item (answers, criteria, measures, evidence, comments under its code), newest first;
    /// the item code "" gives the assessment's own records (start, submission, sign-offs, closing).
    /// </summary>
    public async Task<IReadOnlyList<AuditRecord>> ItemHistoryAsync(int assessmentId, string itemCode, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entityId = ItemEntity(assessmentId, itemCode);
        return await db.AuditRecords.AsNoTracking().Where(r => r.EntityType == EntityType && r.EntityId == entityId)
            .OrderByDescending(r => r.Id).ToListAsync(ct);
    }

    // ---- the edit frame ----

    private sealed record ItemContext(AppDbContext Db, Assessment Assessment, CatalogDefinition Definition, CatalogItemIndex Index,
        AuditActor Actor, DateTime Now);

    /// <summary>
    /// One edit of an assessment's items: the assessee's role, a share lock on the assessment (its status cannot change
    /// until the edit commits), the status check, then <paramref name="edit"/> and its audit record in one transaction.
    /// </summary>
    private async Task<T> EditItemsAsync<T>(ClaimsPrincipal user, int assessmentId, string itemLabel, Func<ItemContext, Task<T>> edit,
        CancellationToken ct)
    {
        RequireFiller(user);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var assessment = await LockAsync(db, assessmentId, exclusive: false, ct);
            RequireEditable(assessment);
            var definition = await catalogs.GetAsync(assessment.CatalogId, ct);
            var result = await edit(new ItemContext(db, assessment, definition, CatalogItemIndex.Of(definition), AuditActor.FromPrincipal(user),
                clock.GetUtcNow().UtcDateTime));
            await transaction.CommitAsync(ct);
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new AssessmentConflictException($"{itemLabel} was changed by someone else after you loaded it; your change was not saved. Reload to see it.");
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            throw new AssessmentConflictException($"{itemLabel} was saved by someone else after you loaded it; your change was not saved. Reload to see it.");
        }
    }

    /// <summary>Locks the assessment's row (share: edits of its items; exclusive: status changes) and loads it.</summary>
    private static async Task<Assessment> LockAsync(AppDbContext db, int assessmentId, bool exclusive, CancellationToken ct)
    {
        var found = exclusive
            ? await db.Database.SqlQuery<int>($"""SELECT "Id" AS "Value" FROM "Assessments" WHERE "Id" = {assessmentId} FOR UPDATE""").ToListAsync(ct)
            : await db.Database.SqlQuery<int>($"""SELECT "Id" AS "Value" FROM "Assessments" WHERE "Id" = {assessmentId} FOR SHARE""").ToListAsync(ct);
        if (found.Count == 0) throw new AssessmentException($"There is no assessment {assessmentId}.");
        return await db.Assessments.SingleAsync(a => a.Id == assessmentId, ct);
    }

    private async Task<(int AssessmentId, string Code)> OwnerAsync(Func<AppDbContext, IQueryable<(int, string)>> query, string what, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await query(db).ToListAsync(ct);
        if (found.Count == 0)
            throw new AssessmentConflictException($"This {what} no longer exists: it was removed after you loaded it. Reload to see the assessment as it is now.");
        return found[0];
    }

    private static void RequireEditable(Assessment assessment)
    {
        if (assessment.IsEditable) return;
        throw new AssessmentException(assessment.Status switch
        {
            AssessmentStatus.InReview => "This assessment is in review; it can be edited again when the auditor requests changes.",
            AssessmentStatus.Superseded => "This version was superseded by a newer one; edit the newest version.",
            _ => "This assessment is signed and locked; start a new version to change it.",
        });
    }

    private void CheckItemVersion(string label, (uint RowVersion, string By, DateTime At)? current, uint? expected)
    {
        if (current is null)
        {
            if (expected is null) return;
            throw new AssessmentConflictException($"{label} was removed after you loaded it; your change was not saved. Reload to see it.");
        }
        if (expected == current.Value.RowVersion) return;
        throw new AssessmentConflictException(
            $"{label} was changed by {current.Value.By} at {Time(current.Value.At)} after you loaded it; your change was not saved. Reload to see it.");
    }

    private async Task<AssessmentConflictException> RemovedAsync(AppDbContext db, int assessmentId, string code, string label, CancellationToken ct)
    {
        var last = await LastChangeAsync(db, EntityType, ItemEntity(assessmentId, code), ct);
        return new AssessmentConflictException($"{label} was removed{last} after you loaded it; your change was not saved. Reload to see it.");
    }

    /// <summary>" by NAME at TIME" from the entity's newest audit record, or "" when it has none.</summary>
    private async Task<string> LastChangeAsync(AppDbContext db, string entityType, string entityId, CancellationToken ct)
    {
        var last = await db.AuditRecords.AsNoTracking().Where(r => r.EntityType == entityType && r.EntityId == entityId)
            .OrderByDescending(r => r.Id).Select(r => new { r.UserName, r.Timestamp }).FirstOrDefaultAsync(ct);
        return last is null ? "" : $" by {last.UserName} at {Time(last.Timestamp)}";
    }

    private string Time(DateTime at)
    {
        var today = clock.GetUtcNow().UtcDateTime.Date;
        return at.ToString(at.Date == today ? "HH:mm 'UTC'" : "d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
    }

    /// <summary>A change to a signed-off dimension's items (after the auditor requested changes) needs a new sign-off.</summary>
    private async Task WithdrawSignOffAsync(ItemContext c, DimensionDefinition? dimension, string itemCode, CancellationToken ct)
    {
        if (dimension is null) return;
        var signOff = await c.Db.AssessmentSignOffs.FirstOrDefaultAsync(s => s.AssessmentId == c.Assessment.Id && s.Scope == dimension.Code, ct);
        if (signOff is null) return;
        c.Db.AssessmentSignOffs.Remove(signOff);
        await audit.RecordAsync(c.Db, c.Actor, "assessment.signoff.withdraw", EntityType, AssessmentEntity(c.Assessment.Id),
            new { dimension = dimension.Code, signOff.SignedByName, signOff.SignedAt, signOff.Statement },
            new { reason = $"{itemCode} changed after the sign-off" }, ct);
    }

    // ---- checks of the input ----

    private static void CheckAnswerFields(CatalogItemIndex index, CatalogItemInfo item, AnswerEdit edit)
    {
        var code = item.Code;
        var isOverall = item.Requirement?.Aspect == Aspect.OA;
        if (edit.Protection is not null && item.Kind != CatalogItemKind.Protection)
            throw new AssessmentException($"A protection requirement is rated on a dimension's protection item (such as FN-P), not on {code}.");
        if (edit.ResidualRisk is not null && item.Kind != CatalogItemKind.Summary)
            throw new AssessmentException($"Residual risk is classified in a dimension's summary (such as FN-S), not on {code}.");
        if (edit.AffectedDimensions is { Count: > 0 } affected)
        {
            if (item.Kind != CatalogItemKind.Summary)
                throw new AssessmentException($"Effects on other dimensions are recorded in a dimension's summary (such as FN-S), not on {code}.");
            var unknown = affected.Where(d => !index.DimensionCodes.Contains(d) || d == item.Dimension!.Code).ToList();
            if (unknown.Count > 0)
                throw new AssessmentException($"{string.Join(", ", unknown)} is not another dimension of this catalog.");
        }
        if (edit.Fulfilment is not null && !isOverall)
            throw new AssessmentException($"The degree of fulfilment is given in a risk area's overall assessment (…-OA), not on {code}.");
        if (!string.IsNullOrWhiteSpace(edit.Justification)
            && item.Kind is not (CatalogItemKind.Protection or CatalogItemKind.Summary or CatalogItemKind.CrossDimensional))
            throw new AssessmentException($"{code} takes no justification; write in its text instead.");
        if (edit.Text?.Length > MaxTextLength || edit.Justification?.Length > MaxTextLength)
            throw new AssessmentException($"An answer has at most {MaxTextLength} characters.");
        if (item.Kind == CatalogItemKind.Protection)
        {
            var problems = AssessmentRules.ProtectionProblems(item.Dimension!, edit.Protection, edit.Justification);
            if (problems.Count > 0) throw new AssessmentException(string.Join(" ", problems));
        }
    }

    /// <summary>A binding must point at a metric that exists now (the model may have been deleted).</summary>
    private async Task CheckBindingAsync(CriterionEdit edit, string kpi, CancellationToken ct)
    {
        if (edit.MetricSource is not { } source) return;
        if (edit.MetricSourceId is not { } sourceId || string.IsNullOrWhiteSpace(edit.MetricKey))
            throw new AssessmentException($"Choose the model and the metric '{kpi}' is bound to.");
        if (await metrics.ReadAsync(source, sourceId, edit.MetricKey.Trim(), ct) is null)
            throw new AssessmentException($"The metric '{edit.MetricKey.Trim()}' of that model does not exist (any more); choose another one.");
    }

    private static void CheckEvidenceKinds(CatalogItemIndex index, IReadOnlyCollection<string> kinds)
    {
        var unknown = kinds.Where(k => !index.EvidenceKinds.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new AssessmentException($"Evidence kinds are {string.Join(", ", index.EvidenceKinds.Order(StringComparer.Ordinal))}; not {string.Join(", ", unknown)}.");
    }

    private static async Task CheckEvidenceTargetAsync(ItemContext c, string itemCode, int? measureId, int? criterionId, string kind,
        CancellationToken ct)
    {
        if (!c.Index.Contains(itemCode)) throw NotInCatalog(itemCode);
        CheckEvidenceKinds(c.Index, [kind]);
        if (measureId is not null && criterionId is not null)
            throw new AssessmentException("Evidence supports a measure or a criterion, not both.");
        if (measureId is { } m && !await c.Db.AssessmentMeasures.AnyAsync(x => x.Id == m && x.AssessmentId == c.Assessment.Id && x.RequirementCode == itemCode, ct))
            throw new AssessmentConflictException($"The measure of {itemCode} this evidence was for no longer exists. Reload to see the assessment as it is now.");
        if (criterionId is { } k && !await c.Db.AssessmentCriteria.AnyAsync(x => x.Id == k && x.AssessmentId == c.Assessment.Id && x.RequirementCode == itemCode, ct))
            throw new AssessmentConflictException($"The criterion of {itemCode} this evidence was for no longer exists. Reload to see the assessment as it is now.");
    }

    private static AssessmentEvidence NewEvidence(ItemContext c, string itemCode, int? measureId, int? criterionId, string kind, string title,
        string owner, DateOnly? reviewDate) => new()
        {
            AssessmentId = c.Assessment.Id,
            ItemCode = itemCode,
            MeasureId = measureId,
            CriterionId = criterionId,
            Kind = kind,
            Title = Required(title, "Give the evidence a title.", 500),
            Owner = Limited(owner, 200, "The owner"),
            ReviewDate = reviewDate,
            CreatedAt = c.Now,
            CreatedByName = c.Actor.Name,
        };

    private async Task<AssessmentEvidence> AddEvidenceAsync(ItemContext c, AssessmentEvidence row, CancellationToken ct)
    {
        c.Db.AssessmentEvidence.Add(row);
        await c.Db.SaveChangesAsync(ct);
        await WithdrawSignOffAsync(c, c.Index.Find(row.ItemCode)?.Dimension, row.ItemCode, ct);
        await audit.RecordAsync(c.Db, c.Actor, "assessment.evidence.add", EntityType, ItemEntity(c.Assessment.Id, row.ItemCode),
            null, EvidenceRecord(row), ct);
        return row;
    }

    private static AssessmentException NotInCatalog(string code) => new($"{code} is not an item of this assessment's catalog.");

    private static void CheckFinite(double? value, string what)
    {
        if (value is { } v && !double.IsFinite(v)) throw new AssessmentException($"The {what} must be a finite number.");
    }

    private static string Required(string? text, string missing, int maxLength)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value)) throw new AssessmentException(missing);
        if (value.Length > maxLength) throw new AssessmentException($"'{value[..Math.Min(40, value.Length)]}…' is longer than {maxLength} characters.");
        return value;
    }

    private static string Limited(string? text, int maxLength, string what)
    {
        var value = text?.Trim() ?? "";
        if (value.Length > maxLength) throw new AssessmentException($"{what} has at most {maxLength} characters.");
        return value;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool IsUniqueViolation(DbUpdateException e) => e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    // ---- roles ----

    private static void RequireFiller(ClaimsPrincipal user)
    {
        if (!user.IsInRole(Roles.Assessee) && !user.IsInRole(Roles.Admin))
            throw new AssessmentException("Only an assessee (or an administrator) fills in and submits assessments.");
    }

    private static void RequireAuditor(ClaimsPrincipal user, string what)
    {
        if (!user.IsInRole(Roles.Auditor)) throw new AssessmentException($"Only an auditor may {what}.");
    }

    private static void RequireParticipant(ClaimsPrincipal user)
    {
        if (!Roles.AssessmentParticipants.Split(',').Any(user.IsInRole))
            throw new AssessmentException("Only participants of assessments (assessee, auditor, accountable authority, administrator) may comment.");
    }

    // ---- audit entities and records ----

    private static string AssessmentEntity(int assessmentId) => assessmentId.ToString(CultureInfo.InvariantCulture);

    private static string ItemEntity(int assessmentId, string itemCode) =>
        itemCode.Length == 0 ? AssessmentEntity(assessmentId) : $"{AssessmentEntity(assessmentId)}:{itemCode}";

    private static object AnswerRecord(AssessmentAnswer a) =>
        new { a.ItemCode, a.Text, a.Protection, a.Justification, a.Fulfilment, a.ResidualRisk, a.AffectedDimensions, a.CarriedOver };

    private static object CriterionRecord(AssessmentCriterion c) =>
        new { c.Id, c.RequirementCode, c.Kpi, c.TargetMin, c.TargetMax, c.Unit, c.Justification, c.ManualValue, c.MetricSource, c.MetricSourceId, c.MetricKey, c.Fulfilment };

    private static object MeasureRecord(AssessmentMeasure m) =>
        new { m.Id, m.RequirementCode, m.Stage, m.Description, m.EvidenceKinds, m.ReferencedRiskArea };

    private static object EvidenceRecord(AssessmentEvidence e) =>
        new { e.Id, e.ItemCode, e.MeasureId, e.CriterionId, e.Kind, e.Title, e.Url, e.UploadedFileId, e.Owner, e.ReviewDate };
}
