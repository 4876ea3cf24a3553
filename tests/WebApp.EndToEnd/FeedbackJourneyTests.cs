using Microsoft.Playwright;
using WebApp.Testing;
using Xunit.Abstractions;

namespace WebApp.EndToEnd;

public sealed class FeedbackJourneyTests(RunningApp app, ITestOutputHelper output) : IClassFixture<RunningApp>
{
    private const int Labels = RunningApp.RetrainEveryLabels;
    /// <summary>The label taken back: in the middle, so the retraining (queued by the last label) sees the retraction.</summary>
    private const int Undone = 10;
    /// <summary>The label whose item gets a comment typed ahead (c, text made of command keys, Escape).</summary>
    private const int Commented = 6;

    [Fact]
    public async Task An_expert_typing_ahead_labels_20_items_and_undoes_one_then_a_retraining_on_the_worker_activates_new_predictions()
    {
        int projectId;
        await using (var db = app.Database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db, "feedback");
        }
        var candidates = (await app.Database.ScalarAsync<long[]>(
            $"SELECT array_agg(\"Id\" ORDER BY \"Id\") FROM \"Candidates\" WHERE \"ProjectId\" = {projectId}"))!;
        var page = await app.SignInAsync("expert@demo.local", $"/relations/{projectId}/label");
        await page.WaitForSelectorAsync("[data-candidate-id]");
        await Acknowledgements.StartRecordingAsync(page);

        // Keyboard only, typed as fast as Playwright types, never waiting for a save: 1 and 2 in turn, undo after
        // the tenth label, skip the item the undo brought back, ten more labels. Every key must take effect, in
        // order. A comment typed ahead is text, never actions, even where its letters are command keys.
        var keys = new List<string>();
        for (var label = 1; label <= Labels; label++)
        {
            if (label == Commented) keys.AddRange(["c", "s", "u", "n", "1", "Escape"]);
            keys.Add(label % 2 == 1 ? "1" : "2");
            if (label == Undone) keys.AddRange(["u", "s"]);
        }
        foreach (var key in keys) await page.Keyboard.PressAsync(key);

        // 20 labels and a retraction acknowledged, the 21st being the last label.
        await page.WaitForSelectorAsync($"#label-workspace[data-acknowledged^='{Labels + 1}:label:']", new PageWaitForSelectorOptions { Timeout = 60_000 });
        await page.WaitForSelectorAsync($"#labelled-today:text('{Labels - 1}')");
        var acknowledged = await Acknowledgements.ReadAsync(page);

        // Without a model the queue goes by id: the first 20 candidates, the tenth labelled, retracted, skipped.
        var expected = new List<Acknowledgement>();
        for (var label = 1; label <= Labels; label++)
        {
            expected.Add(new Acknowledgement(expected.Count + 1, "label", candidates[label - 1]));
            if (label == Undone) expected.Add(new Acknowledgement(expected.Count + 1, "retraction", candidates[Undone - 1]));
        }
        Assert.Equal(expected, acknowledged);

        // In PostgreSQL, in the order typed: the right relation on the right item, the retraction of the right one.
        var records = await app.Database.ScalarAsync<string>(
            $"SELECT string_agg(l.\"CandidateId\" || ':' || l.\"Kind\" || ':' || coalesce(r.\"Key\", '-'), ',' ORDER BY l.\"Id\") " +
            $"FROM \"ExpertLabels\" l LEFT JOIN \"RelationTypes\" r ON r.\"Id\" = l.\"RelationTypeId\" WHERE l.\"ProjectId\" = {projectId}");
        var expectedRecords = new List<string>();
        for (var label = 1; label <= Labels; label++)
        {
            expectedRecords.Add($"{candidates[label - 1]}:Label:{(label % 2 == 1 ? "born_in" : "works_for")}");
            if (label == Undone) expectedRecords.Add($"{candidates[Undone - 1]}:Retraction:-");
        }
        Assert.Equal(string.Join(',', expectedRecords), records);
        // Typed before or after the comment box had the focus, the comment is on its own label. (A key typed in the
        // instant the focus reaches the box can be lost from the text, never turned into an action.)
        var comments = await app.Database.ScalarAsync<string>(
            $"SELECT string_agg(\"CandidateId\" || ':' || \"Comment\", ',') FROM \"ExpertLabels\" WHERE \"ProjectId\" = {projectId} AND \"Comment\" IS NOT NULL");
        output.WriteLine($"Comments: {comments}");
        Assert.Matches($"^{candidates[Commented - 1]}:s?u?n?1?$", comments);

        // One audit record per label and per retraction, each naming its record.
        Assert.Equal($"{Labels}:{Labels}:1:1", await app.Database.ScalarAsync<string>(
            "SELECT count(*) FILTER (WHERE a.\"Action\" = 'relations.labelled') || ':' || " +
            "count(DISTINCT l.\"Id\") FILTER (WHERE a.\"Action\" = 'relations.labelled' AND l.\"Kind\" = 'Label') || ':' || " +
            "count(*) FILTER (WHERE a.\"Action\" = 'relations.label-retracted') || ':' || " +
            "count(DISTINCT l.\"Id\") FILTER (WHERE a.\"Action\" = 'relations.label-retracted' AND l.\"Kind\" = 'Retraction') " +
            "FROM \"AuditRecords\" a LEFT JOIN \"ExpertLabels\" l ON a.\"EntityType\" = 'ExpertLabel' AND l.\"Id\"::text = a.\"EntityId\" " +
            "WHERE a.\"Action\" LIKE 'relations.label%'"));

        // The last label queued the retraining; a worker process ran it, and its model became active with new predictions.
        try
        {
            await WaitForAsync(async () => await app.Database.ScalarAsync<int?>(
                $"SELECT \"ActiveModelVersionId\" FROM \"RelationProjects\" WHERE \"Id\" = {projectId}") is not null);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{app.Logs}", e);
        }
        Assert.Equal($"1:system:auto-retrain:Succeeded:{Environment.MachineName}/{app.Worker.Id}", await app.Database.ScalarAsync<string>(
            "SELECT count(*) OVER () || ':' || \"RequestedByName\" || ':' || \"Status\" || ':' || \"WorkerHost\" FROM \"JobRuns\" WHERE \"Kind\" = 'relation-training'"));
        var activeVersion = await app.Database.ScalarAsync<int>(
            $"SELECT \"ActiveModelVersionId\" FROM \"RelationProjects\" WHERE \"Id\" = {projectId}");
        var predictions = await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"Predictions\" WHERE \"ModelVersionId\" = {activeVersion}");
        Assert.Equal(candidates.Length, predictions);
        // Each with the evidence the labelling page's "why" view shows.
        Assert.Equal(predictions, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"Predictions\" WHERE \"ModelVersionId\" = {activeVersion} AND \"TokenWins\" IS NOT NULL"));
        // It trained on the expert's current labels: the retracted one no longer counts.
        var expertLabelsTrainedOn = await app.Database.ScalarAsync<int>(
            $"SELECT (\"DataSnapshot\"->>'expertLabels')::int FROM \"ModelVersions\" WHERE \"Id\" = {activeVersion}");
        Assert.Equal(Labels - 1, expertLabelsTrainedOn);

        // The expert sees the new model's predictions on the next item.
        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        await page.WaitForSelectorAsync("#label-prediction:has-text('Model v1')");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(250);
        }
        throw new TimeoutException("No model version became active within 120 s.");
    }
}
