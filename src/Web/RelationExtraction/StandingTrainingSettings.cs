using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;

namespace WebApp.Web.RelationExtraction;

/// <summary>A project's standing training settings as the admin's form shows them.</summary>
public sealed record StandingTrainingView(RelationTrainingParameters Parameters, string Queue, double Tolerance, bool IsDefault);

/// <summary>
/// Reads and changes what automatic retraining trains with (<see cref="StandingTraining"/>) and the promotion
/// tolerance; a change is written with its audit record ("relations.standing-training-changed", before and after)
/// in the same transaction. Admin-owned: the page offers it to admins only and the endpoint layer is the page's.
/// </summary>
public sealed class StandingTrainingSettings(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit)
{
    public async Task<StandingTrainingView?> GetAsync(int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await db.RelationProjects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, ct);
        return project is null ? null : ViewOf(project);
    }

    private static StandingTrainingView ViewOf(RelationProject project) => new(
        StandingTraining.ParametersFor(project), StandingTraining.QueueFor(project), project.PromotionTolerance,
        StandingTraining.Parse(project.StandingTraining) is null);

    /// <summary>Stores the settings; returns the problems instead when they are not valid (nothing changes then).</summary>
    public async Task<IReadOnlyList<string>> UpdateAsync(int projectId, RelationTrainingParameters parameters, string queue, double tolerance,
        AuditActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var problems = StandingTraining.Validate(parameters, queue, tolerance).ToList();
        if (problems.Count > 0) return problems;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var project = await db.RelationProjects.SingleOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null) return [$"There is no relation project {projectId.ToString(CultureInfo.InvariantCulture)}."];
        var before = Audited(ViewOf(project));
        project.StandingTraining = StandingTraining.Serialize(parameters with { ProjectId = projectId });
        project.StandingTrainingQueue = queue;
        project.PromotionTolerance = tolerance;
        var after = Audited(ViewOf(project));
        if (before == after) return [];
        await audit.RecordAsync(db, actor, "relations.standing-training-changed", nameof(RelationProject),
            projectId.ToString(CultureInfo.InvariantCulture), before, after, ct);
        await transaction.CommitAsync(ct);
        return [];
    }

    /// <summary>Back to the measured defaults and the default tolerance.</summary>
    public Task<IReadOnlyList<string>> ResetAsync(int projectId, AuditActor actor, CancellationToken ct = default) =>
        UpdateAsync(projectId, new RelationTrainingParameters(projectId), Domain.Training.JobQueues.Retrain,
            RelationProject.DefaultPromotionTolerance, actor, ct);

    /// <summary>The audited shape: settings without the flags every standing setting has.</summary>
    private static AuditedSettings Audited(StandingTrainingView view) =>
        new(view.Parameters with { ActivateWhenDone = true }, view.Queue, view.Tolerance);

    private sealed record AuditedSettings(RelationTrainingParameters Parameters, string Queue, double PromotionTolerance);
}
