using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;

namespace WebApp.Web.RelationExtraction;

/// <summary>
/// Feeds expert labels back into the model without anyone pressing a button: after every
/// <c>Relations:RetrainEveryLabels</c> new labels (0 turns it off) a training run is queued with the project's
/// standing training settings (<see cref="StandingTraining"/>: admin-owned, never the last run's), on the queue
/// every worker keeps a slot for. The worker promotes its model only when it is not worse than the active one
/// (<see cref="ModelPromotion"/>); the expert never waits for it. The standing default trains from scratch: in the
/// learning-curve simulation, chains of warm-started rounds gained gold F1 but lost held-out AUC round after round
/// (docs/benchmarks.md), while rounds from scratch gained both.
/// </summary>
public sealed class AutoRetrain(IDbContextFactory<AppDbContext> dbFactory, RelationJobLauncher launcher, IConfiguration configuration,
    ILogger<AutoRetrain> logger)
{
    public const int DefaultEveryLabels = 25;

    public int EveryLabels => configuration.GetValue("Relations:RetrainEveryLabels", DefaultEveryLabels);

    /// <summary>Queues a retraining when enough labels arrived since the last run; returns the new run's id.</summary>
    public async Task<Guid?> MaybeEnqueueAsync(int projectId, CancellationToken ct = default)
    {
        if (EveryLabels <= 0) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Most labels do not reach the threshold: find that out without taking the project's lock, which every
        // expert's label would otherwise queue behind.
        if (await NewLabelsAsync(db, projectId, ct) is not { } unlocked || unlocked.Count < EveryLabels) return null;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // One decision at a time per project, across web instances: two experts' labels must not queue two runs.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(7001, {projectId})", ct);
        if (await NewLabelsAsync(db, projectId, ct) is not { } locked || locked.Count < EveryLabels) return null;
        var (_, newLabels) = locked;

        var project = await db.RelationProjects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var result = await launcher.TrainAsync(StandingTraining.ParametersFor(project), StandingTraining.QueueFor(project),
            AuditActor.System("auto-retrain"), ct: ct);
        await transaction.CommitAsync(ct);
        if (result.Errors.Count > 0)
        {
            logger.LogWarning("Could not queue the retraining of project {ProjectId}: {Errors}", projectId, string.Join(" ", result.Errors));
            return null;
        }
        logger.LogInformation("{Labels} new expert labels in project {ProjectId}: retraining queued.", newLabels, projectId);
        return result.JobRunId;
    }

    /// <summary>
    /// After a committed label or decision: queues a retraining when one is due. Never throws — the change is
    /// committed and acknowledged either way; a failed check is logged and the next label checks again.
    /// </summary>
    public async Task AfterCommitAsync(int projectId)
    {
        try
        {
            await MaybeEnqueueAsync(projectId, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not check whether project {ProjectId} needs retraining.", projectId);
        }
    }

    /// <summary>The project's latest training run and the labels given since it was queued; null while it is still running.</summary>
    private static async Task<(JobRun? Latest, int Count)?> NewLabelsAsync(AppDbContext db, int projectId, CancellationToken ct)
    {
        var filter = JsonSerializer.Serialize(new { projectId }, JobJson.Options);
        var latest = await db.JobRuns.AsNoTracking()
            .Where(r => r.Kind == JobKinds.RelationTraining && r.Parameters != null && EF.Functions.JsonContains(r.Parameters, filter))
            .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(ct);
        if (latest is { IsFinished: false }) return null; // it will be followed by the next threshold
        var since = latest?.CreatedAt ?? DateTime.MinValue;
        return (latest, await db.ExpertLabels.CountAsync(l => l.ProjectId == projectId && l.Kind != ExpertLabelKind.Retraction && l.CreatedAt > since, ct));
    }
}
