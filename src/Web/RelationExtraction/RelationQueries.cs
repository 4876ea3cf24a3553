using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;

namespace WebApp.Web.RelationExtraction;

public sealed record ProjectSummary(
    int Id, string Name, string Description, DateTime CreatedAt, string CreatedByName,
    int Relations, long Bags, long Candidates, int? ActiveModelNumber, double? ActiveModelAuc);

public sealed record RelationStatisticsRow(
    int RelationTypeId, string Key, string Name, string Description, bool IsNa, int Index,
    long KbFacts, long Bags, long Candidates, long Gold);

public sealed record ProjectStatistics(
    IReadOnlyList<RelationStatisticsRow> Relations, long Bags, long Candidates, long NaBags, long NaCandidates,
    long Entities, long Sentences, IReadOnlyList<SplitStatistics> Splits)
{
    /// <summary>Share of candidates whose bag is labelled NA (0 when there are none).</summary>
    public double NaShare => Candidates == 0 ? 0 : (double)NaCandidates / Candidates;
}

public sealed record CreateProjectResult(int? ProjectId, IReadOnlyList<string> Errors);

/// <summary>
/// The relation-extraction pages' reads and writes, kept in one place so they can move to the domain
/// (<c>RelationProjects</c>, <c>RelationStatistics</c>) without touching the pages. Every change is written
/// with its audit record in the same transaction.
/// </summary>
public sealed class RelationQueries(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit)
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;

    public static readonly IReadOnlyList<string> JobKindsOfProjects = [JobKinds.RelationImport, JobKinds.RelationTraining, JobKinds.LearningCurve, JobKinds.ExpertValue];

    public async Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var projects = await db.RelationProjects.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
        var relations = await db.RelationTypes.GroupBy(r => r.ProjectId)
            .Select(g => new { ProjectId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.ProjectId, g => g.Count, ct);
        var bags = await db.Bags.GroupBy(b => b.ProjectId)
            .Select(g => new { ProjectId = g.Key, Bags = g.LongCount(), Candidates = g.Sum(b => (long)b.CandidateCount) })
            .ToDictionaryAsync(g => g.ProjectId, ct);
        var activeIds = projects.Where(p => p.ActiveModelVersionId is not null).Select(p => p.ActiveModelVersionId!.Value).ToList();
        var active = await db.ModelVersions.AsNoTracking().Where(v => activeIds.Contains(v.Id))
            .Select(v => new { v.Id, v.Number, v.HeldOutAuc }).ToDictionaryAsync(v => v.Id, ct);
        return projects.Select(p =>
        {
            var bag = bags.GetValueOrDefault(p.Id);
            var model = p.ActiveModelVersionId is { } id ? active.GetValueOrDefault(id) : null;
            return new ProjectSummary(p.Id, p.Name, p.Description, p.CreatedAt, p.CreatedByName,
                relations.GetValueOrDefault(p.Id), bag?.Bags ?? 0, bag?.Candidates ?? 0, model?.Number, model?.HeldOutAuc);
        }).ToList();
    }

    public async Task<RelationProject?> FindProjectAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RelationProjects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
    }

    public async Task<IReadOnlyList<RelationType>> RelationTypesAsync(int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RelationTypes.AsNoTracking().Where(r => r.ProjectId == projectId).OrderBy(r => r.Index).ToListAsync(ct);
    }

    /// <summary>Relation names by key (a Wikidata id such as P17 in the demo): what a person reads instead of the key.</summary>
    public async Task<IReadOnlyDictionary<string, string>> RelationNamesAsync(int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await RelationNamesAsync(db, projectId, ct);
    }

    internal static async Task<IReadOnlyDictionary<string, string>> RelationNamesAsync(AppDbContext db, int projectId, CancellationToken ct) =>
        await db.RelationTypes.AsNoTracking().Where(r => r.ProjectId == projectId).ToDictionaryAsync(r => r.Key, r => r.Name, StringComparer.Ordinal, ct);

    /// <summary>Validates and creates a project with its NA relation type; returns the errors (none on success).</summary>
    public async Task<CreateProjectResult> CreateProjectAsync(string name, string? description, double naSamplingRatio,
        AuditActor actor, CancellationToken ct = default)
    {
        name = name?.Trim() ?? "";
        description = description?.Trim() ?? "";
        var errors = new List<string>();
        if (name.Length == 0) errors.Add("Name is required.");
        else if (name.Length > MaxNameLength) errors.Add($"Name must be at most {MaxNameLength} characters.");
        if (description.Length > MaxDescriptionLength) errors.Add($"Description must be at most {MaxDescriptionLength} characters.");
        if (naSamplingRatio is < 0 or > 1000 || double.IsNaN(naSamplingRatio)) errors.Add("NA sampling ratio must be between 0 and 1000.");
        if (errors.Count > 0) return new CreateProjectResult(null, errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await NameTakenAsync(db, name, ct)) return new CreateProjectResult(null, [NameTakenMessage(name)]);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        RelationProject project;
        try
        {
            project = await RelationProjects.CreateAsync(db, name, description, actor.Name, ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new CreateProjectResult(null, [NameTakenMessage(name)]);
        }
        project.NaSamplingRatio = naSamplingRatio;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, actor, "relations.project-created", nameof(RelationProject), project.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            null, new { project.Name, project.Description, project.NaSamplingRatio }, ct);
        await transaction.CommitAsync(ct);
        return new CreateProjectResult(project.Id, []);
    }

    public async Task<bool> NameTakenAsync(string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await NameTakenAsync(db, name.Trim(), ct);
    }

    private static Task<bool> NameTakenAsync(AppDbContext db, string name, CancellationToken ct) =>
        db.RelationProjects.AnyAsync(p => EF.Functions.ILike(p.Name, CandidateSearch.EscapeLike(name), "\\"), ct);

    private static string NameTakenMessage(string name) => $"A project named '{name}' already exists; choose another name.";

    /// <summary>Makes a version the one whose predictions pages and active learning use.</summary>
    public async Task<IReadOnlyList<string>> SetActiveModelAsync(int projectId, int modelVersionId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var project = await db.RelationProjects.SingleOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null) return ["The project no longer exists."];
        var version = await db.ModelVersions.AsNoTracking().Where(v => v.Id == modelVersionId && v.ProjectId == projectId)
            .Select(v => new { v.Id, v.Number }).SingleOrDefaultAsync(ct);
        if (version is null) return ["That model version does not belong to this project."];
        if (project.ActiveModelVersionId == version.Id) return [];
        var before = project.ActiveModelVersionId;
        project.ActiveModelVersionId = version.Id;
        await audit.RecordAsync(db, actor, "relations.model-activated", nameof(RelationProject),
            project.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { ActiveModelVersionId = before }, new { ActiveModelVersionId = version.Id, version.Number }, ct);
        await transaction.CommitAsync(ct);
        return [];
    }

    public async Task<ProjectStatistics> StatisticsAsync(int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var statistics = await RelationStatistics.ForProjectAsync(db, projectId, ct);
        var guidelines = await db.RelationTypes.AsNoTracking().Where(r => r.ProjectId == projectId)
            .ToDictionaryAsync(r => r.Id, r => r.Description, ct);
        var rows = statistics.Relations.Select(r => new RelationStatisticsRow(r.RelationTypeId, r.Key, r.Name,
            guidelines.GetValueOrDefault(r.RelationTypeId, ""), r.IsNa, r.Index, r.Facts, r.Bags, r.Candidates, r.GoldCandidates)).ToList();
        return new ProjectStatistics(rows, statistics.Bags, statistics.Candidates, statistics.NaBags, statistics.NaCandidates,
            statistics.Entities, statistics.Sentences, statistics.Splits);
    }

    /// <summary>The project's latest import and training runs (their parameters name the project).</summary>
    public async Task<IReadOnlyList<JobRun>> RecentJobsAsync(int projectId, string? kind = null, int take = 10, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var kinds = kind is null ? JobKindsOfProjects : [kind];
        var filter = JsonSerializer.Serialize(new { projectId }, JobJson.Options);
        return await db.JobRuns.AsNoTracking()
            .Where(r => kinds.Contains(r.Kind) && r.Parameters != null && EF.Functions.JsonContains(r.Parameters, filter))
            .OrderByDescending(r => r.CreatedAt).Take(take).ToListAsync(ct);
    }

    public async Task<ExpertEffort> ExpertEffortAsync(int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ExpertEffort.ForProjectAsync(db, projectId, ct);
    }

    public async Task<JobRun?> JobRunAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
    }

    public async Task<IReadOnlyList<ModelVersion>> ModelVersionsAsync(int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().Where(v => v.ProjectId == projectId)
            .OrderByDescending(v => v.Number).ToListAsync(ct);
    }

    public async Task<ModelVersion?> ModelVersionAsync(int projectId, int number, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(v => v.ProjectId == projectId && v.Number == number, ct);
    }

    /// <summary>Reads a version's metrics; null when they are missing or not in the expected shape.</summary>
    public static ModelEvaluation? ParseMetrics(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            var evaluation = JsonSerializer.Deserialize<ModelEvaluation>(json, JobJson.Options);
            if (evaluation?.HeldOut is null) return null;
            // Lists missing from the JSON arrive as null despite the record's types.
            return evaluation with
            {
                HeldOut = evaluation.HeldOut with { Curve = evaluation.HeldOut.Curve ?? [], PerRelation = evaluation.HeldOut.PerRelation ?? [] },
                Gold = evaluation.Gold is null ? null : evaluation.Gold with { PerRelation = evaluation.Gold.PerRelation ?? [] },
                History = evaluation.History ?? [],
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Indented JSON for display; the text itself when it is not JSON.</summary>
    public static string PrettyJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return "";
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, PrettyOptions);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static readonly JsonSerializerOptions PrettyOptions = new() { WriteIndented = true };
}
