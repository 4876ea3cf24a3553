using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.Labeling;
using WebApp.Web.RelationExtraction;
using WebApp.Web.RelationExtraction.Labeling;

namespace WebApp.IntegrationTests;

public class LabelingTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private LabelingQueue Queue => app.Services.GetRequiredService<LabelingQueue>();
    private LabelingService Labeling => app.Services.GetRequiredService<LabelingService>();

    private static readonly AuditActor Ann = new("user-ann", "ann@demo.local");
    private static readonly AuditActor Bob = new("user-bob", "bob@demo.local");

    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    [Fact]
    public async Task Two_experts_asking_concurrently_never_get_the_same_item_with_overlap_one()
    {
        var data = await SeedAsync(candidates: 50, overlap: 1);

        var calls = Enumerable.Range(0, 20).SelectMany(_ => new[] { Ann, Bob })
            .Select(async user => (user, item: await Queue.NextAsync(data.ProjectId, user))).ToList();
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.NotNull(r.item));
        var ids = results.Select(r => r.item!.CandidateId).ToList();
        Assert.Equal(40, ids.Distinct().Count());
        await using var db = await DbAsync();
        Assert.Equal(40, await db.LabelingClaims.CountAsync(l => l.ProjectId == data.ProjectId));
        Assert.Equal(10, await Queue.CountLeftAsync(data.ProjectId, new AuditActor("user-carl", "carl")));
    }

    [Fact]
    public async Task With_overlap_two_both_experts_may_get_an_item_but_one_expert_never_twice()
    {
        var data = await SeedAsync(candidates: 10, overlap: 2);

        var calls = Enumerable.Range(0, 20).SelectMany(_ => new[] { Ann, Bob })
            .Select(async user => (user, item: await Queue.NextAsync(data.ProjectId, user))).ToList();
        var results = await Task.WhenAll(calls);

        foreach (var user in new[] { Ann, Bob })
        {
            var mine = results.Where(r => r.user == user && r.item is not null).Select(r => r.item!.CandidateId).ToList();
            Assert.Equal(10, mine.Count);
            Assert.Equal(10, mine.Distinct().Count());
        }
        Assert.Null(await Queue.NextAsync(data.ProjectId, new AuditActor("user-carl", "carl")));
    }

    [Fact]
    public async Task Three_experts_racing_with_overlap_two_never_put_three_on_one_item_and_labels_keep_their_places()
    {
        var data = await SeedAsync(candidates: 12, overlap: 2);
        AuditActor[] experts = [Ann, Bob, new("user-cleo", "cleo@demo.local")];

        // Each expert labels whatever the queue hands out, all at once, until the queue is empty for them.
        var answered = await Task.WhenAll(experts.Select(async user =>
        {
            var mine = new List<long>();
            while (await Queue.NextAsync(data.ProjectId, user) is { } item)
            {
                await Labeling.SubmitAsync(data.ProjectId, item.CandidateId, data.NaId, false, null, 1, user);
                mine.Add(item.CandidateId);
            }
            return mine;
        }));

        Assert.All(answered, mine => Assert.Equal(mine.Count, mine.Distinct().Count()));
        Assert.Equal(24, answered.Sum(mine => mine.Count));
        await using var db = await DbAsync();
        var perItem = await db.ExpertLabels.Where(l => l.ProjectId == data.ProjectId).GroupBy(l => l.CandidateId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(12, perItem.Count);
        Assert.All(perItem, count => Assert.Equal(2, count));
        Assert.Equal(24, await db.LabelingClaims.CountAsync(c => c.ProjectId == data.ProjectId && c.IsLabelled));
        foreach (var user in experts) Assert.Equal(0, await Queue.CountLeftAsync(data.ProjectId, user));
    }

    [Fact]
    public async Task An_admin_can_order_the_queue_by_least_confidence_or_entropy_and_the_change_is_audited()
    {
        var data = await SeedAsync(candidates: 4, overlap: 1, margins: [0.5f, 0.1f, 0.9f, 0.3f]);
        float[] confidence = [0.9f, 0.6f, 0.4f, 0.8f], entropy = [0.2f, 0.9f, 0.5f, 0.1f];
        await using (var db = await DbAsync())
        {
            for (var i = 0; i < 4; i++)
            {
                var (id, c, h) = (data.CandidateIds[i], confidence[i], entropy[i]);
                await db.Predictions.Where(p => p.CandidateId == id)
                    .ExecuteUpdateAsync(set => set.SetProperty(p => p.Confidence, c).SetProperty(p => p.Entropy, h));
            }
        }
        var admin = new AuditActor("user-ada", "ada@demo.local");

        Assert.Empty(await Labeling.UpdateSettingsAsync(data.ProjectId, 1, QueueOrders.LeastConfidence, admin));
        Assert.Equal(data.CandidateIds[2], (await Queue.NextAsync(data.ProjectId, Ann))!.CandidateId);
        Assert.Empty(await Labeling.UpdateSettingsAsync(data.ProjectId, 2, QueueOrders.Entropy, admin));
        Assert.Equal(data.CandidateIds[1], (await Queue.NextAsync(data.ProjectId, Bob))!.CandidateId);
        // With two experts per item, Bob may now get the item Ann holds: it is next by entropy after his own.
        Assert.Equal(data.CandidateIds[2], (await Queue.NextAsync(data.ProjectId, Bob))!.CandidateId);

        Assert.Equal(["Experts per item must be between 1 and 10.", "Unknown queue order 'random' (known: margin, least-confidence, entropy, diverse)."],
            await Labeling.UpdateSettingsAsync(data.ProjectId, 0, "random", admin));
        await using var check = await DbAsync();
        var project = await check.RelationProjects.SingleAsync(p => p.Id == data.ProjectId);
        Assert.Equal((2, QueueOrders.Entropy), (project.LabelOverlap, project.QueueOrder));
        var records = await check.AuditRecords.Where(r => r.Action == "relations.labelling-settings-changed"
            && r.EntityId == data.ProjectId.ToString(CultureInfo.InvariantCulture)).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(2, records.Count);
        Assert.Contains("least-confidence", records[1].Before, StringComparison.Ordinal);
        Assert.Contains("entropy", records[1].After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_diverse_order_the_queue_serves_the_diverse_batch_by_place_then_goes_on_by_margin()
    {
        var data = await SeedAsync(candidates: 4, overlap: 1, margins: [0.5f, 0.1f, 0.9f, 0.3f]);
        await using (var db = await DbAsync())
        {
            await db.Predictions.Where(p => p.CandidateId == data.CandidateIds[2]).ExecuteUpdateAsync(set => set.SetProperty(p => p.DiverseRank, 1));
            await db.Predictions.Where(p => p.CandidateId == data.CandidateIds[0]).ExecuteUpdateAsync(set => set.SetProperty(p => p.DiverseRank, 2));
        }
        Assert.Empty(await Labeling.UpdateSettingsAsync(data.ProjectId, 1, QueueOrders.Diverse, new AuditActor("user-ada", "ada@demo.local")));

        var served = new List<long>();
        while (await Queue.NextAsync(data.ProjectId, Ann) is { } item) served.Add(item.CandidateId);

        Assert.Equal([data.CandidateIds[2], data.CandidateIds[0], data.CandidateIds[1], data.CandidateIds[3]], served);
    }

    [Fact]
    public async Task The_queue_serves_the_smallest_margin_first_and_skips_what_the_expert_labelled()
    {
        var data = await SeedAsync(candidates: 4, overlap: 1, margins: [0.5f, 0.1f, 0.9f, 0.3f]);

        var first = await Queue.NextAsync(data.ProjectId, Ann);
        var second = await Queue.NextAsync(data.ProjectId, Ann);

        Assert.Equal(data.CandidateIds[1], first!.CandidateId);
        Assert.Equal(data.CandidateIds[3], second!.CandidateId);
        Assert.Equal(data.BornInId, first.PredictedRelationTypeId);
        Assert.Equal([data.BornInId], first.DistantRelationTypeIds);
        Assert.Equal(("Ada", "London"), (first.HeadName, first.TailName));
        Assert.Equal(1, first.ModelNumber);

        await Labeling.SubmitAsync(data.ProjectId, first.CandidateId, data.BornInId, false, null, 1200, Ann);
        await Queue.ReleaseAsync(data.ProjectId, second.CandidateId, Ann);
        var third = await Queue.NextAsync(data.ProjectId, Ann, [data.CandidateIds[3]]);
        Assert.Equal(data.CandidateIds[0], third!.CandidateId);
        var progress = await Labeling.ProgressAsync(data.ProjectId, Ann);
        Assert.Equal(new LabelingProgress(1, 3), progress);
    }

    [Fact]
    public async Task An_expired_lock_frees_the_item_and_a_renewed_one_keeps_it()
    {
        var data = await SeedAsync(candidates: 2, overlap: 1);
        var first = await Queue.NextAsync(data.ProjectId, Ann);
        var second = await Queue.NextAsync(data.ProjectId, Ann);
        await using (var db = await DbAsync())
        {
            await db.LabelingClaims.Where(l => l.ProjectId == data.ProjectId)
                .ExecuteUpdateAsync(set => set.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
        }
        await Queue.RenewAsync(data.ProjectId, [second!.CandidateId], Ann);

        Assert.Equal(first!.CandidateId, (await Queue.NextAsync(data.ProjectId, Bob))!.CandidateId);
        Assert.Null(await Queue.NextAsync(data.ProjectId, Bob));
    }

    [Fact]
    public async Task Without_a_model_the_queue_goes_by_candidate_id()
    {
        var data = await SeedAsync(candidates: 3, overlap: 1, withModel: false);

        var item = await Queue.NextAsync(data.ProjectId, Ann);

        Assert.Equal(data.CandidateIds[0], item!.CandidateId);
        Assert.Null(item.PredictedRelationTypeId);
    }

    [Fact]
    public async Task An_item_carries_the_active_models_evidence_per_token_where_it_was_stored()
    {
        var data = await SeedAsync(candidates: 2, overlap: 1);
        await using (var db = await DbAsync())
        {
            short[] wins = [40, 2, 300, 210, 38, 0];
            await db.Predictions.Where(p => p.CandidateId == data.CandidateIds[0]).ExecuteUpdateAsync(s => s.SetProperty(p => p.TokenWins, wins));
        }

        var withEvidence = await Queue.ItemAsync(data.ProjectId, data.CandidateIds[0]);
        var scoredBefore = await Queue.ItemAsync(data.ProjectId, data.CandidateIds[1]);

        Assert.Equal([40, 2, 300, 210, 38, 0], withEvidence!.TokenWins!);
        Assert.NotNull(scoredBefore!.PredictedRelationTypeId);
        Assert.Null(scoredBefore.TokenWins); // a version scored before evidence was stored: the page says so
    }

    [Fact]
    public async Task Submit_writes_the_label_and_its_audit_record_and_the_expert_keeps_the_place()
    {
        var data = await SeedAsync(candidates: 2, overlap: 1);
        var item = await Queue.NextAsync(data.ProjectId, Ann);

        var label = await Labeling.SubmitAsync(data.ProjectId, item!.CandidateId, data.BornInId, true, "  not sure  ", 4321, Ann);

        await using var db = await DbAsync();
        var stored = await db.ExpertLabels.SingleAsync(l => l.Id == label.Id);
        Assert.Equal((ExpertLabelKind.Label, data.BornInId, "user-ann", true, "not sure", 4321),
            (stored.Kind, stored.RelationTypeId, stored.UserId, stored.IsUnsure, stored.Comment, stored.DurationMs));
        var record = await db.AuditRecords.SingleAsync(r => r.Action == "relations.labelled" && r.EntityId == label.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("user-ann", record.UserId);
        Assert.Contains("born_in", record.After, StringComparison.Ordinal);
        var claim = await db.LabelingClaims.SingleAsync(l => l.CandidateId == item.CandidateId);
        Assert.Equal(("user-ann", true), (claim.UserId, claim.IsLabelled));
        var effective = await ExpertLabels.EffectiveAsync(db, data.ProjectId, default);
        Assert.Equal(data.BornInId, effective[item.CandidateId].RelationTypeId);
    }

    [Fact]
    public async Task A_label_that_cannot_be_stored_leaves_no_record()
    {
        var data = await SeedAsync(candidates: 1, overlap: 1);
        await using var db = await DbAsync();
        var audits = await db.AuditRecords.CountAsync();

        await Assert.ThrowsAsync<LabelingException>(() => Labeling.SubmitAsync(data.ProjectId, data.CandidateIds[0], -1, false, null, 1, Ann));
        await Assert.ThrowsAsync<LabelingException>(() => Labeling.SubmitAsync(data.ProjectId, -5, data.BornInId, false, null, 1, Ann));

        Assert.False(await db.ExpertLabels.AnyAsync(l => l.ProjectId == data.ProjectId));
        Assert.Equal(audits, await db.AuditRecords.CountAsync());
    }

    [Fact]
    public async Task Labelled_today_and_the_overviews_expert_labels_count_the_same_labels_an_undone_one_in_neither()
    {
        var data = await SeedAsync(candidates: 3, overlap: 1);
        await using (var db = await DbAsync())
        {
            // Yesterday's label, taken back today.
            db.ExpertLabels.Add(new ExpertLabel
            {
                ProjectId = data.ProjectId,
                CandidateId = data.CandidateIds[1],
                Kind = ExpertLabelKind.Label,
                RelationTypeId = data.BornInId,
                UserId = "user-ann",
                UserName = "ann@demo.local",
                DurationMs = 60_000,
                CreatedAt = DateTime.UtcNow.AddDays(-1),
            });
            await db.SaveChangesAsync();
        }
        await Labeling.SubmitAsync(data.ProjectId, data.CandidateIds[0], data.BornInId, false, null, 30_000, Ann);
        await Labeling.UndoAsync(data.ProjectId, data.CandidateIds[1], Ann);
        // A changed answer is one label, not two.
        await Labeling.SubmitAsync(data.ProjectId, data.CandidateIds[0], data.NaId, false, null, 30_000, Ann);

        Assert.Equal(1, (await Labeling.ProgressAsync(data.ProjectId, Ann)).LabelledToday);
        await using var check = await DbAsync();
        var effort = await ExpertEffort.ForProjectAsync(check, data.ProjectId, default);
        Assert.Equal(1, effort.Labels);
        Assert.Equal(1, effort.Experts);
        Assert.True(effort.Minutes >= 2.0, $"{effort.Minutes} min: the time spent on the undone label was spent all the same");
    }

    [Fact]
    public async Task Undo_writes_a_retraction_and_the_effective_label_disappears()
    {
        var data = await SeedAsync(candidates: 2, overlap: 1);
        var candidate = data.CandidateIds[0];
        var label = await Labeling.SubmitAsync(data.ProjectId, candidate, data.NaId, false, null, 800, Ann);

        var retraction = await Labeling.UndoAsync(data.ProjectId, candidate, Ann);

        Assert.NotNull(retraction);
        await using var db = await DbAsync();
        var records = await db.ExpertLabels.Where(l => l.CandidateId == candidate).OrderBy(l => l.Id).ToListAsync();
        Assert.Equal([ExpertLabelKind.Label, ExpertLabelKind.Retraction], records.Select(r => r.Kind));
        Assert.Equal(label.Id, records[0].Id);
        Assert.True(await db.AuditRecords.AnyAsync(r => r.Action == "relations.label-retracted" && r.EntityId == retraction.Id.ToString(CultureInfo.InvariantCulture)));
        Assert.False((await ExpertLabels.EffectiveAsync(db, data.ProjectId, default)).ContainsKey(candidate));
        Assert.Null(await Labeling.UndoAsync(data.ProjectId, candidate, Ann));
        Assert.Equal(0, (await Labeling.ProgressAsync(data.ProjectId, Ann)).LabelledToday);
        // The item is the expert's again, held for them to re-label: nobody else is given it meanwhile.
        Assert.Equal(data.CandidateIds[1], (await Queue.NextAsync(data.ProjectId, Bob))!.CandidateId);
        Assert.Equal(candidate, (await Queue.LockAsync(data.ProjectId, candidate, Ann))!.CandidateId);
        var claim = await db.LabelingClaims.SingleAsync(c => c.CandidateId == candidate);
        Assert.Equal(("user-ann", false), (claim.UserId, claim.IsLabelled));
    }

    [Fact]
    public async Task Labels_export_as_OpenNRE_JSONL_and_CSV_for_experts_only()
    {
        var data = await SeedAsync(candidates: 2, overlap: 2);
        await Labeling.SubmitAsync(data.ProjectId, data.CandidateIds[0], data.BornInId, true, "a, \"b\"", 1500, Ann);
        await Labeling.SubmitAsync(data.ProjectId, data.CandidateIds[0], data.NaId, false, null, 900, Bob);
        await Labeling.SubmitAsync(data.ProjectId, data.CandidateIds[1], data.NaId, false, null, 700, Ann);
        await Labeling.UndoAsync(data.ProjectId, data.CandidateIds[1], Ann);
        var expert = await app.ClientAsync("expert@demo.local");

        var csv = (await expert.GetStringAsync($"/api/relations/{data.ProjectId}/labels.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var jsonl = (await expert.GetStringAsync($"/api/relations/{data.ProjectId}/labels.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(LabelExport.CsvHeader, csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith($"{data.CandidateIds[0]},,Ada was born in London .,Ada,London,born_in,born_in,Label,ann@demo.local,true,\"a, \"\"b\"\"\",1500,", csv[1], StringComparison.Ordinal);
        Assert.EndsWith(",NA", csv[1], StringComparison.Ordinal); // a tie goes to the latest label, Bob's NA
        Assert.Contains(",NA,Label,bob@demo.local,false,,900,", csv[2], StringComparison.Ordinal);
        var line = Assert.Single(jsonl);
        using var json = System.Text.Json.JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("NA", root.GetProperty("relation").GetString());
        Assert.Equal([0, 1], root.GetProperty("h").GetProperty("pos").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("London", root.GetProperty("t").GetProperty("name").GetString());
        Assert.Equal("born_in", root.GetProperty("ds_relations")[0].GetString());
        Assert.Equal(2, root.GetProperty("expert_labels").GetArrayLength());
        Assert.Equal("ann@demo.local", root.GetProperty("expert_labels")[0].GetProperty("annotator").GetString());

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await (await app.ClientAsync()).GetAsync($"/api/relations/{data.ProjectId}/labels.csv")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await (await app.ClientAsync("curator@demo.local")).GetAsync($"/api/relations/{data.ProjectId}/labels.csv")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await expert.GetAsync("/api/relations/999999/labels.jsonl")).StatusCode);
    }

    [Fact]
    public async Task Agreement_of_two_experts_is_Cohens_kappa_on_their_current_labels()
    {
        var data = await SeedAsync(candidates: 4, overlap: 2);
        Assert.Null(await Labeling.AgreementAsync(data.ProjectId));
        int[] ann = [data.BornInId, data.BornInId, data.NaId];
        int[] bob = [data.BornInId, data.NaId, data.NaId];
        for (var i = 0; i < 3; i++)
        {
            await Labeling.SubmitAsync(data.ProjectId, data.CandidateIds[i], ann[i], false, null, 1, Ann);
            await Labeling.SubmitAsync(data.ProjectId, data.CandidateIds[i], bob[i], false, null, 1, Bob);
        }
        // Only Ann labels the fourth; a retracted label of Bob's does not count.
        await Labeling.SubmitAsync(data.ProjectId, data.CandidateIds[3], data.NaId, false, null, 1, Ann);
        await Labeling.SubmitAsync(data.ProjectId, data.CandidateIds[3], data.BornInId, false, null, 1, Bob);
        await Labeling.UndoAsync(data.ProjectId, data.CandidateIds[3], Bob);

        var agreement = await Labeling.AgreementAsync(data.ProjectId);

        // p_o = 2/3, p_e = 2/3·1/3 + 1/3·2/3 = 4/9: κ = (2/9)/(5/9) = 0.4.
        Assert.Equal(("Cohen", 3, 2), (agreement!.Method, agreement.Items, agreement.Experts));
        Assert.Equal(0.4, agreement.Kappa!.Value, 10);
        Assert.Equal(0.4, agreement.PerRelation.Single(r => r.RelationTypeId == data.BornInId).Kappa!.Value, 10);
    }

    private async Task<LabelingProject> SeedAsync(int candidates, int overlap, float[]? margins = null, bool withModel = true)
    {
        await using var db = await DbAsync();
        return await LabelingProject.SeedAsync(db, candidates, overlap, margins, withModel);
    }
}
