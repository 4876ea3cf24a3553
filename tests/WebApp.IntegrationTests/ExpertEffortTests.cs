using Microsoft.EntityFrameworkCore;
using WebApp.Domain.RelationExtraction;
using WebApp.Testing;

namespace WebApp.IntegrationTests;

public sealed class ExpertEffortTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Labels_that_stand_per_minute_and_no_gain_credited_until_it_is_measured_with_and_without_the_labels()
    {
        await using var db = _database.CreateContext();
        var projectId = await SyntheticRelations.SeedAsync(db);
        var start = new DateTime(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);
        // Two versions with different gold F1 and no expert label in either: their difference is not the experts' doing.
        var before = new ModelVersion { ProjectId = projectId, Number = 1, GoldF1 = 0.5, CreatedAt = start.AddMinutes(-5) };
        var after = new ModelVersion { ProjectId = projectId, Number = 2, GoldF1 = 0.8, CreatedAt = start.AddMinutes(30) };
        db.ModelVersions.AddRange(before, after);
        await db.SaveChangesAsync();
        var project = await db.RelationProjects.SingleAsync(p => p.Id == projectId);
        project.ActiveModelVersionId = after.Id;
        var candidates = await db.Candidates.OrderBy(c => c.Id).Select(c => c.Id).Take(4).ToListAsync();
        var relation = await db.RelationTypes.Where(r => r.ProjectId == projectId).Select(r => r.Id).FirstAsync();
        ExpertLabel Label(long candidate, string user, int ms, ExpertLabelKind kind = ExpertLabelKind.Label, bool simulated = false) => new()
        {
            ProjectId = projectId,
            CandidateId = candidate,
            Kind = kind,
            UserId = user,
            UserName = user,
            DurationMs = ms,
            RelationTypeId = kind == ExpertLabelKind.Retraction ? null : relation,
            IsSimulated = simulated,
            CreatedAt = start,
        };
        // Three answers and an undo in 3 minutes by two experts; the undone label and the simulated one do not count.
        db.ExpertLabels.AddRange(Label(candidates[0], "a", 60_000), Label(candidates[1], "a", 30_000), Label(candidates[2], "b", 80_000),
            Label(candidates[1], "a", 10_000, ExpertLabelKind.Retraction), Label(candidates[3], "sim", 1_000, simulated: true));
        await db.SaveChangesAsync();

        var effort = await ExpertEffort.ForProjectAsync(db, projectId, CancellationToken.None);

        Assert.Equal(2, effort.Labels);
        Assert.Equal(2, effort.Experts);
        Assert.Equal(3.0, effort.Minutes, 6);
        Assert.Equal(2 / 3.0, effort.LabelsPerMinute!.Value, 6);
        Assert.Null(effort.Value); // "not measured yet", not 0.8 − 0.5

        // A measurement: per seed, the same settings with and without the labels.
        var settings = new RelationTrainingParameters(projectId);
        var result = new ExpertValueResult(ModelPromotion.GoldF1,
            [new ExpertValuePair(42, 0.70, 0.60), new ExpertValuePair(43, 0.66, 0.62), new ExpertValuePair(44, 0.71, 0.63)], 2, 3.0, settings);
        db.JobRuns.Add(new WebApp.Domain.Training.JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = WebApp.Domain.Training.JobKinds.ExpertValue,
            Status = WebApp.Domain.Training.JobRunStatus.Succeeded,
            Parameters = System.Text.Json.JsonSerializer.Serialize(new ExpertValueParameters(projectId), WebApp.Domain.Training.JobJson.Options),
            Metrics = System.Text.Json.JsonSerializer.Serialize(result, WebApp.Domain.Training.JobJson.Options),
            RequestedByName = "admin",
            CreatedAt = start.AddHours(1),
            FinishedAt = start.AddHours(2),
        });
        await db.SaveChangesAsync();

        var value = (await ExpertEffort.ForProjectAsync(db, projectId, CancellationToken.None)).Value!.Result;
        // Gains 0.10, 0.04, 0.08: mean 0.0733…, sample SD sqrt(((0.0267)² + (0.0333)² + (0.0067)²) / 2) = 0.03055.
        Assert.Equal(0.073333, value.MeanGain, 5);
        Assert.Equal(0.030551, value.SeedSpread!.Value, 5);
        Assert.Equal(0.073333 / 3, value.GainPerMinute!.Value, 5);
        Assert.Equal(0.030551 / 3, value.SpreadPerMinute!.Value, 5);
    }
}
