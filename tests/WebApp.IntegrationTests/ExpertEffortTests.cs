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
    public async Task Labels_per_minute_and_gold_F1_gained_per_expert_minute()
    {
        await using var db = _database.CreateContext();
        var projectId = await SyntheticRelations.SeedAsync(db);
        var start = new DateTime(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);
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
        // Three labels in 3 minutes by two experts; an undo and a simulated label do not count.
        db.ExpertLabels.AddRange(Label(candidates[0], "a", 60_000), Label(candidates[1], "a", 30_000), Label(candidates[2], "b", 90_000),
            Label(candidates[1], "a", 5_000, ExpertLabelKind.Retraction), Label(candidates[3], "sim", 1_000, simulated: true));
        await db.SaveChangesAsync();

        var effort = await ExpertEffort.ForProjectAsync(db, projectId, CancellationToken.None);

        Assert.Equal(3, effort.Labels);
        Assert.Equal(2, effort.Experts);
        Assert.Equal(3.0, effort.Minutes, 6);
        Assert.Equal(1.0, effort.LabelsPerMinute!.Value, 6);
        Assert.Equal(0.5, effort.F1Before);
        Assert.Equal(0.8, effort.F1Now);
        Assert.Equal(0.1, effort.F1GainPerMinute!.Value, 6); // (0.8 − 0.5) / 3 minutes
    }
}
