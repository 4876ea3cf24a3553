using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Assessments.Rules;
using WebApp.Domain.Auditing;

namespace WebApp.Web.Assessments;

/// <summary>The portfolio, the assessments' life cycle (start, next cycle, new version) and loading one assessment.</summary>
public sealed partial class AssessmentService
{
    public async Task<IReadOnlyList<ApplicationSummary>> ListApplicationsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var applications = await db.AiApplications.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
        var counts = await db.Assessments.GroupBy(a => a.ApplicationId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var latest = await db.Assessments.AsNoTracking()
            .Where(a => !db.Assessments.Any(b => b.ApplicationId == a.ApplicationId && (b.Cycle > a.Cycle || (b.Cycle == a.Cycle && b.Version > a.Version))))
            .ToDictionaryAsync(a => a.ApplicationId, ct);
        return applications.Select(a => new ApplicationSummary(a, latest.GetValueOrDefault(a.Id), counts.GetValueOrDefault(a.Id))).ToList();
    }

    public async Task<AiApplication> CreateApplicationAsync(ClaimsPrincipal user, string name, string owner, string description, CancellationToken ct = default)
    {
        RequireFiller(user);
        var application = new AiApplication
        {
            Name = Required(name, "Name the application.", 200),
            Owner = Limited(owner, 200, "The owner"),
            Description = Limited(description, 4000, "The description"),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedByName = AuditActor.FromPrincipal(user).Name,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await RequireUniqueNameAsync(db, application.Name, null, ct);
        db.AiApplications.Add(application);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            throw DuplicateName(application.Name);
        }
        await audit.RecordAsync(db, AuditActor.FromPrincipal(user), "assessment.application.create", ApplicationEntityType,
            application.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, ApplicationRecord(application), ct);
        await transaction.CommitAsync(ct);
        return application;
    }

    public async Task<AiApplication> UpdateApplicationAsync(ClaimsPrincipal user, int applicationId, uint expectedRowVersion, string name, string owner,
        string description, CancellationToken ct = default)
    {
        RequireFiller(user);
        var entityId = applicationId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var application = await db.AiApplications.FirstOrDefaultAsync(a => a.Id == applicationId, ct)
                ?? throw new AssessmentException($"There is no application {applicationId}.");
            if (application.RowVersion != expectedRowVersion)
            {
                throw new AssessmentConflictException(
                    $"The application was changed{await LastChangeAsync(db, ApplicationEntityType, entityId, ct)} after you loaded it; your change was not saved. Reload to see it.");
            }
            var before = ApplicationRecord(application);
            application.Name = Required(name, "Name the application.", 200);
            application.Owner = Limited(owner, 200, "The owner");
            application.Description = Limited(description, 4000, "The description");
            await RequireUniqueNameAsync(db, application.Name, applicationId, ct);
            db.Entry(application).Property(a => a.RowVersion).OriginalValue = expectedRowVersion;
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync(db, AuditActor.FromPrincipal(user), "assessment.application.update", ApplicationEntityType, entityId,
                before, ApplicationRecord(application), ct);
            await transaction.CommitAsync(ct);
            return application;
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new AssessmentConflictException("The application was changed by someone else after you loaded it; your change was not saved. Reload to see it.");
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            throw DuplicateName(name.Trim());
        }
    }

    /// <summary>The assessments of an application, newest first.</summary>
    public async Task<IReadOnlyList<Assessment>> ListAssessmentsAsync(int applicationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Assessments.AsNoTracking().Where(a => a.ApplicationId == applicationId)
            .OrderByDescending(a => a.Cycle).ThenByDescending(a => a.Version).ToListAsync(ct);
    }

    /// <summary>
    /// A fresh assessment (cycle 1, version 1 for a new application; the next cycle, empty, otherwise) against the newest
    /// version of the catalog (or the one given). One open assessment per application at a time.
    /// </summary>
    public Task<Assessment> StartAssessmentAsync(ClaimsPrincipal user, int applicationId, int? catalogId = null, CancellationToken ct = default) =>
        PortfolioStepAsync(user, applicationId, async p =>
        {
            await RequireNoOpenAssessmentAsync(p.Db, applicationId, null, ct);
            var catalog = catalogId is { } id
                ? await p.Db.AssessmentCatalogs.AsNoTracking().Where(c => c.Id == id).Select(c => new CatalogRef(c.Id, c.Key, c.Version)).FirstOrDefaultAsync(ct)
                    ?? throw new AssessmentException($"There is no catalog {id}.")
                : await NewestCatalogAsync(p.Db, await LatestCatalogKeyAsync(p.Db, applicationId, ct), ct);
            var cycle = 1 + (await p.Db.Assessments.Where(a => a.ApplicationId == applicationId).MaxAsync(a => (int?)a.Cycle, ct) ?? 0);
            var assessment = NewAssessment(p, applicationId, catalog.Id, cycle, 1, null);
            await p.Db.SaveChangesAsync(ct);
            await audit.RecordAsync(p.Db, p.Actor, "assessment.start", EntityType, AssessmentEntity(assessment.Id), null,
                new { applicationId, assessment.Cycle, assessment.Version, catalog = catalog.Key, catalogVersion = catalog.Version }, ct);
            return assessment;
        }, ct);

    /// <summary>Next cycle: copies the newest closed assessment's answers, criteria, measures and evidence, all flagged as carried over.</summary>
    public Task<Assessment> StartNextCycleAsync(ClaimsPrincipal user, int applicationId, CancellationToken ct = default) =>
        PortfolioStepAsync(user, applicationId, async p =>
        {
            await RequireNoOpenAssessmentAsync(p.Db, applicationId, null, ct);
            var source = await p.Db.Assessments.AsNoTracking().Where(a => a.ApplicationId == applicationId && a.Status == AssessmentStatus.Closed)
                .OrderByDescending(a => a.Cycle).ThenByDescending(a => a.Version).FirstOrDefaultAsync(ct)
                ?? throw new AssessmentException("There is no closed assessment to continue from; start an assessment instead.");
            var sourceKey = await p.Db.AssessmentCatalogs.Where(c => c.Id == source.CatalogId).Select(c => c.Key).SingleAsync(ct);
            var catalog = await NewestCatalogAsync(p.Db, sourceKey, ct);
            var cycle = 1 + await p.Db.Assessments.Where(a => a.ApplicationId == applicationId).MaxAsync(a => a.Cycle, ct);
            var assessment = NewAssessment(p, applicationId, catalog.Id, cycle, 1, source.Id);
            await p.Db.SaveChangesAsync(ct);
            var index = CatalogItemIndex.Of(await catalogs.GetAsync(catalog.Id, ct));
            var dropped = await CopyItemsAsync(p.Db, source.Id, assessment.Id, index, carriedOver: true, ct);
            await audit.RecordAsync(p.Db, p.Actor, "assessment.cycle.start", EntityType, AssessmentEntity(assessment.Id), null,
                new { applicationId, assessment.Cycle, assessment.Version, previousId = source.Id, catalog = catalog.Key, catalogVersion = catalog.Version, dropped }, ct);
            return assessment;
        }, ct);

    /// <summary>A signed (locked) assessment cannot change: this copies it into version + 1 of the same cycle and supersedes it.</summary>
    public async Task<Assessment> StartNewVersionAsync(ClaimsPrincipal user, int assessmentId, CancellationToken ct = default)
    {
        RequireFiller(user);
        int applicationId;
        await using (var lookup = await dbFactory.CreateDbContextAsync(ct))
        {
            applicationId = await lookup.Assessments.Where(a => a.Id == assessmentId).Select(a => (int?)a.ApplicationId).SingleOrDefaultAsync(ct)
                ?? throw new AssessmentException($"There is no assessment {assessmentId}.");
        }
        return await PortfolioStepAsync(user, applicationId, async p =>
        {
            var source = await p.Db.Assessments.SingleAsync(a => a.Id == assessmentId, ct);
            if (source.Status is not (AssessmentStatus.AuditorSignedOff or AssessmentStatus.Closed))
            {
                throw new AssessmentException(source.IsEditable
                    ? "This assessment is not signed yet: edit it as it is."
                    : $"Only a signed or closed assessment gets a new version; this one is {Describe(source.Status)}.");
            }
            await RequireNoOpenAssessmentAsync(p.Db, applicationId, assessmentId, ct);
            if (await p.Db.Assessments.AnyAsync(a => a.ApplicationId == applicationId && a.Cycle > source.Cycle, ct))
                throw new AssessmentException($"Cycle {source.Cycle + 1} already follows this one; change the newest cycle instead.");
            var version = 1 + await p.Db.Assessments.Where(a => a.ApplicationId == applicationId && a.Cycle == source.Cycle).MaxAsync(a => a.Version, ct);
            var assessment = NewAssessment(p, applicationId, source.CatalogId, source.Cycle, version, source.Id);
            var previousStatus = source.Status;
            source.Status = AssessmentStatus.Superseded;
            await p.Db.SaveChangesAsync(ct);
            var index = CatalogItemIndex.Of(await catalogs.GetAsync(source.CatalogId, ct));
            await CopyItemsAsync(p.Db, source.Id, assessment.Id, index, carriedOver: false, ct);
            await audit.RecordAsync(p.Db, p.Actor, "assessment.supersede", EntityType, AssessmentEntity(source.Id),
                new { status = previousStatus }, new { status = source.Status, supersededBy = assessment.Id }, ct);
            await audit.RecordAsync(p.Db, p.Actor, "assessment.version.start", EntityType, AssessmentEntity(assessment.Id), null,
                new { applicationId, assessment.Cycle, assessment.Version, previousId = source.Id }, ct);
            return assessment;
        }, ct);
    }

    public async Task<AssessmentView> LoadAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The catalog row without its JSON: the parsed definition comes from the catalog store's cache.
        var head = await (from a in db.Assessments.AsNoTracking()
                          join application in db.AiApplications.AsNoTracking() on a.ApplicationId equals application.Id
                          join c in db.AssessmentCatalogs on a.CatalogId equals c.Id
                          where a.Id == assessmentId
                          select new
                          {
                              Assessment = a,
                              Application = application,
                              Catalog = new AssessmentCatalog
                              {
                                  Id = c.Id,
                                  Key = c.Key,
                                  Version = c.Version,
                                  Title = c.Title,
                                  Sha256 = c.Sha256,
                                  IsBuiltIn = c.IsBuiltIn,
                                  ImportedAt = c.ImportedAt,
                                  ImportedByName = c.ImportedByName,
                              },
                          }).SingleOrDefaultAsync(ct)
            ?? throw new AssessmentException($"There is no assessment {assessmentId}.");
        var definition = await catalogs.GetAsync(head.Assessment.CatalogId, ct);
        var state = await StateAsync(db, assessmentId, ct);
        var evidence = await db.AssessmentEvidence.AsNoTracking().Where(e => e.AssessmentId == assessmentId).OrderBy(e => e.Id).ToListAsync(ct);
        var comments = await db.AssessmentComments.AsNoTracking().Where(c => c.AssessmentId == assessmentId).OrderBy(c => c.Id).ToListAsync(ct);
        var signOffs = await db.AssessmentSignOffs.AsNoTracking().Where(s => s.AssessmentId == assessmentId).OrderBy(s => s.Id).ToListAsync(ct);
        IReadOnlySet<string> changed = head.Assessment.PreviousId is { } previousId
            ? ChangedItems(CatalogItemIndex.Of(definition), state, await StateAsync(db, previousId, ct))
            : new HashSet<string>();
        var readings = await metrics.ReadBoundAsync(state.Criteria, ct);
        return new AssessmentView(head.Assessment, head.Application, head.Catalog, definition, state.Answers, state.Criteria, state.Measures,
            evidence, comments, signOffs, readings, AssessmentRules.Evaluate(definition, state), changed);
    }

    // ---- helpers ----

    private sealed record PortfolioContext(AppDbContext Db, AuditActor Actor, DateTime Now);

    private sealed record CatalogRef(int Id, string Key, string Version);

    /// <summary>Starts of assessments of one application are serialised by a lock on its row (one open assessment at a time).</summary>
    private async Task<T> PortfolioStepAsync<T>(ClaimsPrincipal user, int applicationId, Func<PortfolioContext, Task<T>> step, CancellationToken ct)
    {
        RequireFiller(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var found = await db.Database.SqlQuery<int>($"""SELECT "Id" AS "Value" FROM "AiApplications" WHERE "Id" = {applicationId} FOR UPDATE""").ToListAsync(ct);
        if (found.Count == 0) throw new AssessmentException($"There is no application {applicationId}.");
        try
        {
            var result = await step(new PortfolioContext(db, AuditActor.FromPrincipal(user), clock.GetUtcNow().UtcDateTime));
            await transaction.CommitAsync(ct);
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new AssessmentConflictException("The assessment was changed by someone else meanwhile; nothing was saved. Reload to see it.");
        }
    }

    private static Assessment NewAssessment(PortfolioContext p, int applicationId, int catalogId, int cycle, int version, int? previousId)
    {
        var assessment = new Assessment
        {
            ApplicationId = applicationId,
            CatalogId = catalogId,
            Cycle = cycle,
            Version = version,
            PreviousId = previousId,
            Status = AssessmentStatus.Draft,
            CreatedAt = p.Now,
            CreatedByName = p.Actor.Name,
        };
        p.Db.Assessments.Add(assessment);
        return assessment;
    }

    private static async Task RequireNoOpenAssessmentAsync(AppDbContext db, int applicationId, int? except, CancellationToken ct)
    {
        var open = await db.Assessments.AsNoTracking()
            .Where(a => a.ApplicationId == applicationId && a.Id != except && a.Status != AssessmentStatus.Closed && a.Status != AssessmentStatus.Superseded)
            .FirstOrDefaultAsync(ct);
        if (open is not null)
            throw new AssessmentException($"This application already has an open assessment (cycle {open.Cycle}, version {open.Version}); finish it first.");
    }

    private static async Task<string?> LatestCatalogKeyAsync(AppDbContext db, int applicationId, CancellationToken ct) =>
        await (from a in db.Assessments
               join c in db.AssessmentCatalogs on a.CatalogId equals c.Id
               where a.ApplicationId == applicationId
               orderby a.Cycle descending, a.Version descending
               select c.Key).FirstOrDefaultAsync(ct);

    /// <summary>The newest imported version of a catalog key; without a key, of the built-in catalog (else the newest import).</summary>
    private static async Task<CatalogRef> NewestCatalogAsync(AppDbContext db, string? key, CancellationToken ct)
    {
        var catalogs = db.AssessmentCatalogs.AsNoTracking();
        if (key is null)
        {
            key = await catalogs.OrderByDescending(c => c.IsBuiltIn).ThenByDescending(c => c.ImportedAt).ThenByDescending(c => c.Id)
                .Select(c => c.Key).FirstOrDefaultAsync(ct)
                ?? throw new AssessmentException("No assessment catalog has been imported yet.");
        }
        return await catalogs.Where(c => c.Key == key).OrderByDescending(c => c.ImportedAt).ThenByDescending(c => c.Id)
            .Select(c => new CatalogRef(c.Id, c.Key, c.Version)).FirstAsync(ct);
    }

    /// <summary>
    /// Copies answers, criteria, measures and evidence (same stored files) into <paramref name="targetId"/>; items whose
    /// codes the target's catalog no longer has are left behind and returned.
    /// </summary>
    private static async Task<IReadOnlyList<string>> CopyItemsAsync(AppDbContext db, int sourceId, int targetId, CatalogItemIndex index,
        bool carriedOver, CancellationToken ct)
    {
        var dropped = new SortedSet<string>(StringComparer.Ordinal);
        var answers = await db.AssessmentAnswers.AsNoTracking().Where(a => a.AssessmentId == sourceId).ToListAsync(ct);
        foreach (var a in answers)
        {
            if (!index.Contains(a.ItemCode))
            {
                dropped.Add(a.ItemCode);
                continue;
            }
            db.AssessmentAnswers.Add(new AssessmentAnswer
            {
                AssessmentId = targetId,
                ItemCode = a.ItemCode,
                Text = a.Text,
                Protection = a.Protection,
                Justification = a.Justification,
                Fulfilment = a.Fulfilment,
                ResidualRisk = a.ResidualRisk,
                AffectedDimensions = a.AffectedDimensions.Where(index.DimensionCodes.Contains).ToArray(),
                CarriedOver = carriedOver,
                UpdatedAt = a.UpdatedAt,
                UpdatedByName = a.UpdatedByName,
            });
        }
        var criteria = new Dictionary<int, AssessmentCriterion>();
        foreach (var c in await db.AssessmentCriteria.AsNoTracking().Where(c => c.AssessmentId == sourceId).OrderBy(c => c.Id).ToListAsync(ct))
        {
            if (index.Find(c.RequirementCode)?.Requirement?.Aspect != Aspect.CR)
            {
                dropped.Add(c.RequirementCode);
                continue;
            }
            var copy = new AssessmentCriterion
            {
                AssessmentId = targetId,
                RequirementCode = c.RequirementCode,
                Kpi = c.Kpi,
                TargetMin = c.TargetMin,
                TargetMax = c.TargetMax,
                Unit = c.Unit,
                Justification = c.Justification,
                ManualValue = c.ManualValue,
                MetricSource = c.MetricSource,
                MetricSourceId = c.MetricSourceId,
                MetricKey = c.MetricKey,
                Fulfilment = c.Fulfilment,
                Order = c.Order,
                CarriedOver = carriedOver,
                UpdatedAt = c.UpdatedAt,
                UpdatedByName = c.UpdatedByName,
            };
            criteria[c.Id] = copy;
            db.AssessmentCriteria.Add(copy);
        }
        var measures = new Dictionary<int, AssessmentMeasure>();
        foreach (var m in await db.AssessmentMeasures.AsNoTracking().Where(m => m.AssessmentId == sourceId).OrderBy(m => m.Id).ToListAsync(ct))
        {
            if (index.Find(m.RequirementCode)?.Requirement?.Aspect != Aspect.ME || !index.Stages.Contains(m.Stage))
            {
                dropped.Add(m.RequirementCode);
                continue;
            }
            var copy = new AssessmentMeasure
            {
                AssessmentId = targetId,
                RequirementCode = m.RequirementCode,
                Stage = m.Stage,
                Description = m.Description,
                EvidenceKinds = m.EvidenceKinds.Where(index.EvidenceKinds.Contains).ToArray(),
                ReferencedRiskArea = m.ReferencedRiskArea is { } area && index.RiskAreaKeys.Contains(area) ? area : null,
                Order = m.Order,
                CarriedOver = carriedOver,
                UpdatedAt = m.UpdatedAt,
                UpdatedByName = m.UpdatedByName,
            };
            measures[m.Id] = copy;
            db.AssessmentMeasures.Add(copy);
        }
        await db.SaveChangesAsync(ct);
        foreach (var e in await db.AssessmentEvidence.AsNoTracking().Where(e => e.AssessmentId == sourceId).OrderBy(e => e.Id).ToListAsync(ct))
        {
            var measure = e.MeasureId is { } mid ? measures.GetValueOrDefault(mid) : null;
            var criterion = e.CriterionId is { } cid ? criteria.GetValueOrDefault(cid) : null;
            if (!index.Contains(e.ItemCode) || !index.EvidenceKinds.Contains(e.Kind)
                || (e.MeasureId is not null && measure is null) || (e.CriterionId is not null && criterion is null))
            {
                dropped.Add(e.ItemCode);
                continue;
            }
            db.AssessmentEvidence.Add(new AssessmentEvidence
            {
                AssessmentId = targetId,
                ItemCode = e.ItemCode,
                MeasureId = measure?.Id,
                CriterionId = criterion?.Id,
                Kind = e.Kind,
                Title = e.Title,
                Url = e.Url,
                UploadedFileId = e.UploadedFileId,
                Owner = e.Owner,
                ReviewDate = e.ReviewDate,
                CreatedAt = e.CreatedAt,
                CreatedByName = e.CreatedByName,
            });
        }
        await db.SaveChangesAsync(ct);
        return dropped.ToList();
    }

    /// <summary>Item codes (of this catalog) whose answer, criteria or measures differ between the two states, by their fields.</summary>
    private static HashSet<string> ChangedItems(CatalogItemIndex index, AssessmentState current, AssessmentState previous)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var code in current.Answers.Keys.Union(previous.Answers.Keys))
        {
            if (AnswerFields.Of(current.Answer(code)) != AnswerFields.Of(previous.Answer(code))) changed.Add(code);
        }
        foreach (var code in current.Criteria.Select(c => c.RequirementCode).Union(previous.Criteria.Select(c => c.RequirementCode)))
        {
            if (!CriteriaOf(current, code).SequenceEqual(CriteriaOf(previous, code))) changed.Add(code);
        }
        foreach (var code in current.Measures.Select(m => m.RequirementCode).Union(previous.Measures.Select(m => m.RequirementCode)))
        {
            if (!MeasuresOf(current, code).SequenceEqual(MeasuresOf(previous, code))) changed.Add(code);
        }
        changed.RemoveWhere(code => !index.Contains(code));
        return changed;
    }

    private sealed record AnswerFields(string? Text, ProtectionLevel? Protection, string? Justification, Fulfilment? Fulfilment,
        ResidualRisk? ResidualRisk, string AffectedDimensions)
    {
        private static readonly AnswerFields Empty = new(null, null, null, null, null, "");

        public static AnswerFields Of(AssessmentAnswer? a) => a is null ? Empty
            : new(a.Text, a.Protection, a.Justification, a.Fulfilment, a.ResidualRisk, string.Join(",", a.AffectedDimensions.Order(StringComparer.Ordinal)));
    }

    private static IEnumerable<object> CriteriaOf(AssessmentState state, string code) =>
        state.Criteria.Where(c => c.RequirementCode == code).OrderBy(c => c.Order)
            .Select(c => (object)(c.Kpi, c.TargetMin, c.TargetMax, c.Unit, c.Justification, c.ManualValue, c.MetricSource, c.MetricSourceId, c.MetricKey, c.Fulfilment));

    private static IEnumerable<object> MeasuresOf(AssessmentState state, string code) =>
        state.Measures.Where(m => m.RequirementCode == code).OrderBy(m => m.Stage).ThenBy(m => m.Order)
            .Select(m => (object)(m.Stage, m.Description, string.Join(",", m.EvidenceKinds), m.ReferencedRiskArea));

    private static async Task RequireUniqueNameAsync(AppDbContext db, string name, int? except, CancellationToken ct)
    {
        // Case-insensitive: "Triage" and "triage" are the same application to a reader.
        var pattern = name.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
        if (await db.AiApplications.AnyAsync(a => a.Id != except && EF.Functions.ILike(a.Name, pattern, @"\"), ct)) throw DuplicateName(name);
    }

    private static AssessmentException DuplicateName(string name) => new($"An application named '{name}' already exists; choose another name.");

    private static object ApplicationRecord(AiApplication a) => new { a.Id, a.Name, a.Owner, a.Description };
}
