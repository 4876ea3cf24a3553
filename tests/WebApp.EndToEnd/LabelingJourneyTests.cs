using Microsoft.Playwright;
using WebApp.Domain.RelationExtraction;

namespace WebApp.EndToEnd;

public sealed class LabelingJourneyTests(RunningApp app) : IClassFixture<RunningApp>
{
    [Fact]
    public async Task An_expert_labels_with_the_keyboard_only_skips_and_undoes()
    {
        var (projectId, candidates) = await SeedAsync("Labelling journey");
        var page = await app.SignInAsync("expert@demo.local", $"/relations/{projectId}/label");
        await page.WaitForSelectorAsync("[data-candidate-id]");
        // Keys pressed on the prerendered page would go nowhere: the workspace takes the focus once it is interactive.
        await page.WaitForFunctionAsync("document.activeElement && document.activeElement.id === 'label-workspace'");

        // The smallest margin first: candidates were given margins in descending order.
        var first = await CurrentAsync(page);
        Assert.Equal(candidates[^1], first);
        Assert.Equal("1", await page.GetAttributeAsync("#label-relations [data-relation-key='1']", "data-relation-key"));

        // "." shows why: the first item's prediction has evidence, the second was scored without it.
        await page.Keyboard.PressAsync(".");
        await page.WaitForSelectorAsync("#label-sentence .heat-5:text('born')");
        Assert.Equal(2, await page.Locator("#label-sentence mark[data-role=head] .heat").CountAsync());
        await RunningApp.ScreenshotAsync(page, "labeling-why");
        await page.Keyboard.PressAsync("1");
        var second = await NextAsync(page, first);
        await page.WaitForSelectorAsync("#why-empty:text('retrain to see it')");
        await page.Keyboard.PressAsync(".");
        await page.WaitForSelectorAsync("#label-why[aria-pressed='false']");
        await page.Keyboard.PressAsync("Enter"); // accept the model: born in
        var third = await NextAsync(page, second);
        await page.Keyboard.PressAsync("?");
        await page.WaitForSelectorAsync("#label-unsure[aria-pressed='true']");
        await page.Keyboard.PressAsync("c");
        await page.WaitForFunctionAsync("document.activeElement && document.activeElement.id === 'label-comment'");
        await page.Keyboard.TypeAsync("odd one");
        await page.Keyboard.PressAsync("Escape");
        await page.WaitForFunctionAsync("document.activeElement && document.activeElement.id === 'label-workspace'");
        await page.Keyboard.PressAsync("0");
        var fourth = await NextAsync(page, third);
        await page.Keyboard.PressAsync("s");
        var fifth = await NextAsync(page, fourth);
        await page.Keyboard.PressAsync("u");
        Assert.Equal(third, await NextAsync(page, fifth));
        await page.Keyboard.PressAsync("2");
        await NextAsync(page, third);
        await page.WaitForSelectorAsync("#labelled-today:text('3')");
        await RunningApp.ScreenshotAsync(page, "labeling");

        var records = await app.Database.ScalarAsync<string>(
            $"SELECT string_agg(\"CandidateId\" || ':' || \"Kind\" || ':' || coalesce(r.\"Key\", '-') || ':' || \"IsUnsure\" || ':' || coalesce(\"Comment\", ''), ',' ORDER BY l.\"Id\") " +
            $"FROM \"ExpertLabels\" l LEFT JOIN \"RelationTypes\" r ON r.\"Id\" = l.\"RelationTypeId\" WHERE l.\"ProjectId\" = {projectId}");
        Assert.Equal(
            $"{first}:Label:born_in:false:,{second}:Label:born_in:false:,{third}:Label:NA:true:odd one,{third}:Retraction:-:false:,{third}:Label:lives_in:false:",
            records);
        Assert.Equal(4, await app.Database.ScalarAsync<long>("SELECT count(*) FROM \"AuditRecords\" WHERE \"Action\" = 'relations.labelled'"));
        Assert.Equal(1, await app.Database.ScalarAsync<long>("SELECT count(*) FROM \"AuditRecords\" WHERE \"Action\" = 'relations.label-retracted'"));
        Assert.True(await app.Database.ScalarAsync<int>($"SELECT min(\"DurationMs\") FROM \"ExpertLabels\" WHERE \"ProjectId\" = {projectId} AND \"Kind\" = 'Label'") > 0);
    }

    [Fact]
    public async Task A_lead_expert_decides_conflicts_with_the_keyboard()
    {
        var (projectId, candidates) = await SeedAsync("Conflicts journey");
        // Two experts disagree on the first two candidates (born_in vs lives_in, NA vs born_in) and agree on the third.
        await app.Database.ExecuteAsync($"""
            INSERT INTO "ExpertLabels" ("ProjectId", "CandidateId", "Kind", "RelationTypeId", "UserId", "UserName", "IsUnsure", "DurationMs", "IsSimulated", "CreatedAt")
            SELECT {projectId}, v.candidate, 'Label', r."Id", v.expert, v.expert || '@demo.local', false, 1000, false, now()
            FROM (VALUES ({candidates[0]}, 'ann', 'born_in'), ({candidates[0]}, 'bob', 'lives_in'),
                         ({candidates[1]}, 'ann', 'NA'), ({candidates[1]}, 'bob', 'born_in'),
                         ({candidates[2]}, 'ann', 'born_in'), ({candidates[2]}, 'bob', 'born_in')) AS v(candidate, expert, relation)
            JOIN "RelationTypes" r ON r."ProjectId" = {projectId} AND r."Key" = v.relation
            """);
        var page = await app.SignInAsync("leadexpert@demo.local", $"/relations/{projectId}/conflicts");
        await page.WaitForSelectorAsync("#conflict-count:text('2 open conflicts')");
        await page.WaitForFunctionAsync("document.activeElement && document.activeElement.id === 'conflict-workspace'");
        Assert.Equal($"{candidates[0]}", await page.GetAttributeAsync(".conflict.selected", "data-candidate-id"));
        await RunningApp.ScreenshotAsync(page, "conflicts-open");

        await page.Keyboard.PressAsync("c");
        await page.WaitForFunctionAsync("document.activeElement && document.activeElement.id === 'conflict-note'");
        await page.Keyboard.TypeAsync("lived there later");
        await page.Keyboard.PressAsync("Escape");
        await page.WaitForFunctionAsync("document.activeElement && document.activeElement.id === 'conflict-workspace'");
        await page.Keyboard.PressAsync("2"); // lives in
        await page.WaitForSelectorAsync("#conflict-count:text('1 open conflict')");
        Assert.Equal($"{candidates[1]}", await page.GetAttributeAsync(".conflict.selected", "data-candidate-id"));
        await page.Keyboard.PressAsync("0"); // no relation
        await page.WaitForSelectorAsync("text=No conflicts: all overlapping items agree");

        var decisions = await app.Database.ScalarAsync<string>(
            $"SELECT string_agg(\"CandidateId\" || ':' || r.\"Key\" || ':' || \"UserName\" || ':' || coalesce(\"Comment\", ''), ',' ORDER BY l.\"Id\") " +
            $"FROM \"ExpertLabels\" l JOIN \"RelationTypes\" r ON r.\"Id\" = l.\"RelationTypeId\" WHERE l.\"ProjectId\" = {projectId} AND l.\"Kind\" = 'Adjudication'");
        Assert.Equal($"{candidates[0]}:lives_in:leadexpert@demo.local:lived there later,{candidates[1]}:NA:leadexpert@demo.local:", decisions);
        Assert.Equal(2, await app.Database.ScalarAsync<long>("SELECT count(*) FROM \"AuditRecords\" WHERE \"Action\" = 'relations.adjudicated'"));

        await page.ClickAsync("#conflicts-decided");
        await page.WaitForSelectorAsync("#conflict-count:text('2 decided')");
        await page.WaitForSelectorAsync(".conflict-decision:has-text('lived there later')");
        await RunningApp.ScreenshotAsync(page, "conflicts-decided");
    }

    private static async Task<long> CurrentAsync(IPage page) =>
        long.Parse((await page.GetAttributeAsync("[data-candidate-id]", "data-candidate-id"))!, System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<long> NextAsync(IPage page, long previous)
    {
        await page.WaitForSelectorAsync($"[data-candidate-id]:not([data-candidate-id='{previous}'])");
        return await CurrentAsync(page);
    }

    /// <summary>A project with born_in and lives_in, 8 candidates of one bag and a model predicting born_in.</summary>
    private async Task<(int ProjectId, long[] Candidates)> SeedAsync(string name)
    {
        await using var db = app.Database.CreateContext();
        var project = new RelationProject { Name = name, CreatedAt = DateTime.UtcNow };
        db.RelationProjects.Add(project);
        await db.SaveChangesAsync();
        var na = new RelationType { ProjectId = project.Id, Key = RelationType.NaKey, Name = "no relation", IsNa = true, Index = 0 };
        var bornIn = new RelationType { ProjectId = project.Id, Key = "born_in", Name = "born in", Description = "Head was born in tail.", Index = 1 };
        var livesIn = new RelationType { ProjectId = project.Id, Key = "lives_in", Name = "lives in", Description = "Head lives in tail.", Index = 2 };
        var ada = new KbEntity { ProjectId = project.Id, KbId = "Q7259", Name = "Ada Lovelace" };
        var london = new KbEntity { ProjectId = project.Id, KbId = "Q84", Name = "London" };
        var document = new Document { ProjectId = project.Id, Title = "d" };
        db.AddRange(na, bornIn, livesIn, ada, london, document);
        await db.SaveChangesAsync();
        var bag = new Bag { ProjectId = project.Id, HeadEntityId = ada.Id, TailEntityId = london.Id, CandidateCount = 8 };
        db.Bags.Add(bag);
        var version = new ModelVersion { ProjectId = project.Id, Number = 1, Architecture = "pcnn", CreatedAt = DateTime.UtcNow };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync();
        db.DistantLabels.Add(new DistantLabel { BagId = bag.Id, RelationTypeId = bornIn.Id });
        var ids = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            var sentence = new Sentence { ProjectId = project.Id, DocumentId = document.Id, Index = i, Tokens = ["Ada", "Lovelace", "was", "born", "in", "London", "."] };
            db.Sentences.Add(sentence);
            await db.SaveChangesAsync();
            var head = new EntityMention { SentenceId = sentence.Id, EntityId = ada.Id, Start = 0, End = 2 };
            var tail = new EntityMention { SentenceId = sentence.Id, EntityId = london.Id, Start = 5, End = 6 };
            db.EntityMentions.AddRange(head, tail);
            await db.SaveChangesAsync();
            var candidate = new Candidate { ProjectId = project.Id, SentenceId = sentence.Id, HeadMentionId = head.Id, TailMentionId = tail.Id, BagId = bag.Id };
            db.Candidates.Add(candidate);
            await db.SaveChangesAsync();
            ids.Add(candidate.Id);
            var margin = 0.9f - (0.1f * i);
            db.Predictions.Add(new Prediction
            {
                ModelVersionId = version.Id,
                CandidateId = candidate.Id,
                TopRelationTypeId = bornIn.Id,
                Confidence = 0.05f + margin,
                Margin = margin,
                Probabilities = [0.05f, 0.05f + margin, 0.9f - margin],
                TokenWins = i == 7 ? [20, 5, 30, 100, 40, 25, 0] : null,
            });
        }
        project.ActiveModelVersionId = version.Id;
        await db.SaveChangesAsync();
        return (project.Id, [.. ids]);
    }
}
