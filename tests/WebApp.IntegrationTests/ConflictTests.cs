using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Web.RelationExtraction.Labeling;

namespace WebApp.IntegrationTests;

public class ConflictTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private LabelingService Labeling => app.Services.GetRequiredService<LabelingService>();
    private ConflictService Conflicts => app.Services.GetRequiredService<ConflictService>();

    private static readonly AuditActor Ann = new("user-ann", "ann@demo.local");
    private static readonly AuditActor Bob = new("user-bob", "bob@demo.local");
    private static readonly AuditActor Lead = new("user-lee", "lee@demo.local");

    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    private async Task<LabelingProject> SeedAsync(int candidates)
    {
        await using var db = await DbAsync();
        return await LabelingProject.SeedAsync(db, candidates, overlap: 2);
    }

    private Task<ExpertLabel> Label(LabelingProject data, int candidate, int relation, AuditActor expert, bool unsure = false, string? comment = null) =>
        Labeling.SubmitAsync(data.ProjectId, data.CandidateIds[candidate], relation, unsure, comment, 1000, expert);

    [Fact]
    public async Task Conflicts_are_the_items_whose_experts_current_labels_differ()
    {
        var data = await SeedAsync(candidates: 4);
        await Label(data, 0, data.BornInId, Ann);
        await Label(data, 0, data.BornInId, Bob); // agree
        await Label(data, 1, data.BornInId, Ann, unsure: true, comment: "maybe");
        await Label(data, 1, data.NaId, Bob); // disagree
        await Label(data, 2, data.NaId, Ann); // one expert only
        await Label(data, 3, data.BornInId, Ann);
        await Label(data, 3, data.NaId, Bob);
        await Label(data, 3, data.BornInId, Bob); // Bob changed his mind: his latest label agrees

        var open = await Conflicts.OpenAsync(data.ProjectId, 0, 20);

        var conflict = Assert.Single(open.Items);
        Assert.Equal(1, open.Total);
        Assert.Equal(1, await Conflicts.CountOpenAsync(data.ProjectId));
        Assert.Equal(data.CandidateIds[1], conflict.Item.CandidateId);
        Assert.Equal(("Ada", "London", data.BornInId), (conflict.Item.HeadName, conflict.Item.TailName, conflict.Item.PredictedRelationTypeId));
        Assert.Equal([data.BornInId], conflict.Item.DistantRelationTypeIds);
        Assert.Null(conflict.Decision);
        Assert.Equal(["ann@demo.local", "bob@demo.local"], conflict.Labels.Select(l => l.UserName));
        Assert.Equal((data.BornInId, true, "maybe"), (conflict.Labels[0].RelationTypeId, conflict.Labels[0].IsUnsure, conflict.Labels[0].Comment));
        Assert.Equal(data.NaId, conflict.Labels[1].RelationTypeId);
    }

    [Fact]
    public async Task A_retraction_removes_a_conflict()
    {
        var data = await SeedAsync(candidates: 1);
        await Label(data, 0, data.BornInId, Ann);
        await Label(data, 0, data.NaId, Bob);
        Assert.Equal(1, await Conflicts.CountOpenAsync(data.ProjectId));

        await Labeling.UndoAsync(data.ProjectId, data.CandidateIds[0], Bob);

        Assert.Equal(0, await Conflicts.CountOpenAsync(data.ProjectId));
        Assert.Empty((await Conflicts.OpenAsync(data.ProjectId, 0, 20)).Items);
        await Assert.ThrowsAsync<LabelingException>(() => Conflicts.AdjudicateAsync(data.ProjectId, data.CandidateIds[0], data.NaId, null, Lead));
    }

    [Fact]
    public async Task Adjudicating_writes_the_decision_and_its_audit_record_and_closes_the_conflict()
    {
        var data = await SeedAsync(candidates: 2);
        await Label(data, 0, data.BornInId, Ann);
        await Label(data, 0, data.NaId, Bob);
        await Label(data, 1, data.BornInId, Ann);
        await Label(data, 1, data.NaId, Bob);

        var decision = await Conflicts.AdjudicateAsync(data.ProjectId, data.CandidateIds[0], data.NaId, "  Ada only visited London.  ", Lead);

        await using var db = await DbAsync();
        var stored = await db.ExpertLabels.SingleAsync(l => l.Id == decision.Id);
        Assert.Equal((ExpertLabelKind.Adjudication, data.NaId, "user-lee", "Ada only visited London."),
            (stored.Kind, stored.RelationTypeId, stored.UserId, stored.Comment));
        var record = await db.AuditRecords.SingleAsync(r => r.Action == "relations.adjudicated" && r.EntityId == decision.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("user-lee", record.UserId);
        Assert.Contains("ann@demo.local", record.Before, StringComparison.Ordinal);
        Assert.Contains("bob@demo.local", record.Before, StringComparison.Ordinal);
        Assert.Contains("born_in", record.Before, StringComparison.Ordinal);
        Assert.Contains("Ada only visited London.", record.After, StringComparison.Ordinal);
        var open = await Conflicts.OpenAsync(data.ProjectId, 0, 20);
        Assert.Equal([data.CandidateIds[1]], open.Items.Select(i => i.Item.CandidateId));
        var decided = Assert.Single((await Conflicts.DecidedAsync(data.ProjectId, 0, 20)).Items);
        Assert.Equal(data.CandidateIds[0], decided.Item.CandidateId);
        Assert.Equal((data.NaId, "lee@demo.local", "Ada only visited London."), (decided.Decision!.RelationTypeId, decided.Decision.DecidedBy, decided.Decision.Note));
        Assert.Equal(2, decided.Labels.Count);
        var effective = await ExpertLabels.EffectiveAsync(db, data.ProjectId, default);
        Assert.Equal((data.NaId, true), (effective[data.CandidateIds[0]].RelationTypeId, effective[data.CandidateIds[0]].Adjudicated));

        // A second decision of the same item is refused and leaves no record.
        var audits = await db.AuditRecords.CountAsync();
        var error = await Assert.ThrowsAsync<LabelingException>(() => Conflicts.AdjudicateAsync(data.ProjectId, data.CandidateIds[0], data.BornInId, null, Ann));
        Assert.Contains("already decided by lee@demo.local", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.ExpertLabels.CountAsync(l => l.ProjectId == data.ProjectId && l.Kind == ExpertLabelKind.Adjudication));
        Assert.Equal(audits, await db.AuditRecords.CountAsync());
    }

    [Fact]
    public async Task A_decision_whose_audit_record_cannot_be_written_is_not_stored()
    {
        var data = await SeedAsync(candidates: 1);
        await Label(data, 0, data.BornInId, Ann);
        await Label(data, 0, data.NaId, Bob);
        await using var db = await DbAsync();
        // The audit insert fails for this one decision (its note carries the marker); the decision must go with it.
        await db.Database.ExecuteSqlRawAsync("""
            CREATE FUNCTION test_refuse_marked_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW."After"::text LIKE '%audit-must-fail%' THEN RAISE EXCEPTION 'audit refused by the test'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_refuse_marked_audit BEFORE INSERT ON "AuditRecords" FOR EACH ROW EXECUTE FUNCTION test_refuse_marked_audit();
            """);
        try
        {
            var error = await Assert.ThrowsAsync<DbUpdateException>(() =>
                Conflicts.AdjudicateAsync(data.ProjectId, data.CandidateIds[0], data.NaId, "audit-must-fail", Lead));
            Assert.Contains("audit refused by the test", error.InnerException!.Message, StringComparison.Ordinal);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("""
                DROP TRIGGER test_refuse_marked_audit ON "AuditRecords";
                DROP FUNCTION test_refuse_marked_audit();
                """);
        }

        Assert.False(await db.ExpertLabels.AnyAsync(l => l.ProjectId == data.ProjectId && l.Kind == ExpertLabelKind.Adjudication));
        Assert.Equal(1, await Conflicts.CountOpenAsync(data.ProjectId));
    }

    [Fact]
    public async Task A_decision_needs_a_candidate_and_relation_of_the_project_and_a_short_note()
    {
        var data = await SeedAsync(candidates: 1);
        await Label(data, 0, data.BornInId, Ann);
        await Label(data, 0, data.NaId, Bob);

        await Assert.ThrowsAsync<LabelingException>(() => Conflicts.AdjudicateAsync(data.ProjectId, data.CandidateIds[0], -1, null, Lead));
        await Assert.ThrowsAsync<LabelingException>(() => Conflicts.AdjudicateAsync(data.ProjectId, -5, data.NaId, null, Lead));
        await Assert.ThrowsAsync<LabelingException>(() =>
            Conflicts.AdjudicateAsync(data.ProjectId, data.CandidateIds[0], data.NaId, new string('x', ConflictService.MaxNoteLength + 1), Lead));

        Assert.Equal(1, await Conflicts.CountOpenAsync(data.ProjectId));
    }

    [Fact]
    public async Task The_page_shows_open_conflicts_to_a_lead_expert_and_refuses_an_expert()
    {
        var data = await SeedAsync(candidates: 1);
        var path = $"/relations/{data.ProjectId}/conflicts";
        var lead = await app.ClientAsync("leadexpert@demo.local");
        Assert.Contains("No conflicts: all overlapping items agree", await lead.GetStringAsync(path), StringComparison.Ordinal);
        await Label(data, 0, data.BornInId, Ann, comment: "born there");
        await Label(data, 0, data.NaId, Bob);

        var html = await lead.GetStringAsync(path);

        Assert.Contains($"data-candidate-id=\"{data.CandidateIds[0]}\"", html, StringComparison.Ordinal);
        Assert.Contains("open conflict", html, StringComparison.Ordinal);
        Assert.Contains("born there", html, StringComparison.Ordinal);
        Assert.Contains("bob@demo.local", html, StringComparison.Ordinal);
        var expert = await app.ClientAsync("expert@demo.local");
        var refused = await expert.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/access-denied", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        // The labelling overview links the conflicts for the lead, not for the expert.
        Assert.Contains(path.TrimStart('/'), await lead.GetStringAsync("/labeling"), StringComparison.Ordinal);
        Assert.DoesNotContain(path.TrimStart('/'), await expert.GetStringAsync("/labeling"), StringComparison.Ordinal);
    }
}
