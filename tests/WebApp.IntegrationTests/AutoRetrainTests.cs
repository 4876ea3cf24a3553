using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;
using WebApp.Testing;
using WebApp.Web.RelationExtraction;

namespace WebApp.IntegrationTests;

public class AutoRetrainTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    private async Task LabelAsync(int projectId, int count)
    {
        await using var db = await DbAsync();
        var candidates = await db.Candidates.Where(c => c.ProjectId == projectId).OrderBy(c => c.Id).Select(c => c.Id).Take(count).ToListAsync();
        var relation = await db.RelationTypes.Where(r => r.ProjectId == projectId).Select(r => r.Id).FirstAsync();
        db.ExpertLabels.AddRange(candidates.Select(id => new ExpertLabel
        {
            ProjectId = projectId,
            CandidateId = id,
            Kind = ExpertLabelKind.Label,
            RelationTypeId = relation,
            UserId = "expert",
            UserName = "Erin",
            CreatedAt = DateTime.UtcNow,
        }));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Every_n_new_labels_queue_one_retraining_that_activates_its_model()
    {
        int projectId;
        await using (var db = await DbAsync()) projectId = await SyntheticRelations.SeedAsync(db, "auto-retrain");
        var retrain = app.Services.GetRequiredService<AutoRetrain>();

        await LabelAsync(projectId, AutoRetrain.DefaultEveryLabels - 1);
        Assert.Null(await retrain.MaybeEnqueueAsync(projectId));

        await LabelAsync(projectId, 1);
        var runId = await retrain.MaybeEnqueueAsync(projectId);
        Assert.NotNull(runId);
        // While that run waits for a worker, more labels queue nothing more.
        Assert.Null(await retrain.MaybeEnqueueAsync(projectId));

        await using var check = await DbAsync();
        var run = await check.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(JobKinds.RelationTraining, run.Kind);
        var parameters = JsonSerializer.Deserialize<RelationTrainingParameters>(run.Parameters!, JobJson.Options)!;
        Assert.Equal(projectId, parameters.ProjectId);
        Assert.True(parameters.ActivateWhenDone);
        Assert.False(parameters.WarmStart); // the standing default trains from scratch
        Assert.Equal(new RelationTrainingParameters(projectId).Epochs, parameters.Epochs); // the measured defaults
        Assert.Equal(JobQueues.Retrain, run.Queue); // the slot every worker keeps for the loop
        Assert.Equal("system:auto-retrain", run.RequestedByName);
    }

    [Fact]
    public async Task Retraining_uses_the_standing_settings_an_admin_saved_never_the_last_runs()
    {
        int projectId;
        await using (var db = await DbAsync()) projectId = await SyntheticRelations.SeedAsync(db, "auto-retrain-standing");
        var retrain = app.Services.GetRequiredService<AutoRetrain>();
        var settings = app.Services.GetRequiredService<StandingTrainingSettings>();
        var admin = WebApp.Domain.Auditing.AuditActor.System("test-admin");

        // An admin's 2-epoch trial run: the old template for every retraining after it.
        var trial = await app.Services.GetRequiredService<RelationJobLauncher>().TrainAsync(
            new RelationTrainingParameters(projectId, Epochs: 2, LearningRate: 0.5), JobQueues.Gpu, admin);
        Assert.Empty(trial.Errors);
        await using (var db = await DbAsync())
        {
            var run = await db.JobRuns.SingleAsync(r => r.Id == trial.JobRunId);
            run.Status = JobRunStatus.Succeeded;
            run.FinishedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        }

        // Invalid standing settings are refused and change nothing.
        var refused = await settings.UpdateAsync(projectId, new RelationTrainingParameters(projectId, Epochs: 0), JobQueues.Retrain, 0.01, admin);
        Assert.Contains(refused, p => p.Contains("Epochs", StringComparison.Ordinal));
        Assert.Contains(await settings.UpdateAsync(projectId, new RelationTrainingParameters(projectId), "nowhere", 0.01, admin),
            p => p.Contains("queue", StringComparison.Ordinal));
        Assert.Contains(await settings.UpdateAsync(projectId, new RelationTrainingParameters(projectId), JobQueues.Retrain, -0.1, admin),
            p => p.Contains("tolerance", StringComparison.Ordinal));
        Assert.True((await settings.GetAsync(projectId))!.IsDefault);

        Assert.Empty(await settings.UpdateAsync(projectId, new RelationTrainingParameters(projectId, Epochs: 12, Seed: 7), JobQueues.Retrain, 0.02, admin));
        var view = (await settings.GetAsync(projectId))!;
        Assert.False(view.IsDefault);
        Assert.Equal((12, 7, 0.02), (view.Parameters.Epochs, view.Parameters.Seed, view.Tolerance));

        await LabelAsync(projectId, AutoRetrain.DefaultEveryLabels);
        var runId = await retrain.MaybeEnqueueAsync(projectId);
        Assert.NotNull(runId);
        await using var check = await DbAsync();
        var queued = await check.JobRuns.SingleAsync(r => r.Id == runId);
        var parameters = JsonSerializer.Deserialize<RelationTrainingParameters>(queued.Parameters!, JobJson.Options)!;
        Assert.Equal((12, 7, new RelationTrainingParameters(0).LearningRate, true), (parameters.Epochs, parameters.Seed, parameters.LearningRate, parameters.ActivateWhenDone));
        Assert.Equal(JobQueues.Retrain, queued.Queue);

        // The change is audited with before and after.
        var audit = await check.AuditRecords.Where(a => a.Action == "relations.standing-training-changed" && a.EntityId == projectId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToListAsync();
        var record = Assert.Single(audit);
        Assert.Contains("\"epochs\":30", record.Before!.Replace(" ", ""), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"epochs\":12", record.After!.Replace(" ", ""), StringComparison.OrdinalIgnoreCase);
    }
}
