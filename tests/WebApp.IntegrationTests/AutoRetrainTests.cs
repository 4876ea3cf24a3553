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
        Assert.False(parameters.WarmStart); // the last run's choice; with none, from scratch
        Assert.Equal("system:auto-retrain", run.RequestedByName);
    }
}
