using Microsoft.Playwright;
using WebApp.Testing;

namespace WebApp.EndToEnd;

public sealed class FeedbackJourneyTests(RunningApp app) : IClassFixture<RunningApp>
{
    [Fact]
    public async Task Expert_labels_queue_a_retraining_on_the_worker_whose_model_becomes_active_with_new_predictions()
    {
        int projectId;
        await using (var db = app.Database.CreateContext())
        {
            projectId = await SyntheticRelations.SeedAsync(db, "feedback");
        }
        var page = await app.SignInAsync("expert@demo.local", $"/relations/{projectId}/label");
        await page.WaitForSelectorAsync("[data-candidate-id]");

        // Keyboard only (undo has its own journey in LabelingJourneyTests).
        for (var labels = 0; labels < RunningApp.RetrainEveryLabels; labels++)
        {
            var current = await page.GetAttributeAsync("[data-candidate-id]", "data-candidate-id");
            await page.Keyboard.PressAsync(labels % 2 == 0 ? "1" : "2");
            await page.WaitForSelectorAsync($"[data-candidate-id]:not([data-candidate-id='{current}'])");
        }

        try
        {
            await WaitForAsync(async () => await app.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM \"ModelVersions\" WHERE \"ProjectId\" = {projectId}") > 0);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{app.Logs}", e);
        }

        var labelsInDb = await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"ExpertLabels\" WHERE \"ProjectId\" = {projectId} AND \"Kind\" = 'Label'");
        Assert.Equal(RunningApp.RetrainEveryLabels, labelsInDb);
        var activeVersion = await app.Database.ScalarAsync<int>(
            $"SELECT \"ActiveModelVersionId\" FROM \"RelationProjects\" WHERE \"Id\" = {projectId}");
        var predictions = await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"Predictions\" WHERE \"ModelVersionId\" = {activeVersion}");
        Assert.Equal(await app.Database.ScalarAsync<long>($"SELECT count(*) FROM \"Candidates\" WHERE \"ProjectId\" = {projectId}"), predictions);
        // Each with the evidence the labelling page's "why" view shows.
        Assert.Equal(predictions, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"Predictions\" WHERE \"ModelVersionId\" = {activeVersion} AND \"TokenWins\" IS NOT NULL"));
        // The retraining was queued by the last label, so it trained on all of them.
        var expertLabelsTrainedOn = await app.Database.ScalarAsync<int>(
            $"SELECT (\"DataSnapshot\"->>'expertLabels')::int FROM \"ModelVersions\" WHERE \"Id\" = {activeVersion}");
        Assert.Equal(RunningApp.RetrainEveryLabels, expertLabelsTrainedOn);
        Assert.Equal("system:auto-retrain", await app.Database.ScalarAsync<string>(
            "SELECT \"RequestedByName\" FROM \"JobRuns\" WHERE \"Kind\" = 'relation-training'"));
        // Automatic retraining asks for a warm start; with no model yet the worker says why it started cold.
        Assert.Contains("warm start skipped, the project has no active model version", await app.Database.ScalarAsync<string>(
            "SELECT \"Message\" FROM \"JobRuns\" WHERE \"Kind\" = 'relation-training'"), StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(250);
        }
        throw new TimeoutException("No model version appeared within 120 s.");
    }
}
