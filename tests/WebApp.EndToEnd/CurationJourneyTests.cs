using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WebApp.Domain.Sequences;
using WebApp.Testing;

namespace WebApp.EndToEnd;

/// <summary>A curator runs the LDA ensemble on the worker, then shapes clusters from its topics in the browser.</summary>
public sealed class CurationJourneyTests(RunningApp app) : IClassFixture<RunningApp>
{
    [Fact]
    public async Task A_curator_builds_two_categories_from_topics_renames_one_moves_a_sequence_undoes_with_the_keyboard_and_saves_a_version()
    {
        int datasetId;
        await using (var db = app.Database.CreateContext())
        {
            datasetId = await SyntheticSequences.LoadHdfsAsync(db, "HDFS journey", tiny: true);
        }
        var page = await app.SignInAsync("curator@demo.local", $"/sequences/{datasetId}");
        Dictionary<(int K, int Index), int> topics;
        var count = 0;
        try
        {
            await page.WaitForSelectorAsync("text=No clusterings yet");
            await page.ClickAsync("#run-lda");
            // Progress is pushed to the page; when the run succeeds the ensemble's draft button appears without a reload.
            await page.WaitForSelectorAsync(".job-run-view[data-status='Succeeded']", new() { Timeout = 120_000 });
            await page.WaitForSelectorAsync("#start-draft");
            await using (var db = app.Database.CreateContext())
            {
                topics = await (from model in db.TopicModels
                                join topic in db.Topics on model.Id equals topic.TopicModelId
                                where model.DatasetId == datasetId
                                select new { model.TopicCount, topic.Index, topic.Id }).ToDictionaryAsync(t => (t.TopicCount, t.Index), t => t.Id);
            }
            Assert.Equal(35, topics.Count);
            await page.ClickAsync("#start-draft");
            await page.WaitForSelectorAsync("#workbench[data-ready='true']");
            await page.WaitForSelectorAsync("#no-categories");

            // Merge: a topic of k = 2 with one of k = 3; then a category from a finer model's topic (split).
            await page.CheckAsync($"#topic-select-{topics[(2, 0)]}");
            await page.CheckAsync($"#topic-select-{topics[(3, 0)]}");
            await page.FillAsync("#new-category-name", "Alpha");
            await page.PressAsync("#new-category-name", "Enter");
            await page.WaitForSelectorAsync("[data-test=cluster-card][data-name='Alpha']");
            await page.CheckAsync($"#topic-select-{topics[(4, 1)]}");
            await page.FillAsync("#new-category-name", "Beta");
            await page.ClickAsync("#create-category");
            var beta = page.Locator("[data-test=cluster-card][data-name='Beta']");
            await beta.WaitForAsync();
            Assert.Equal(2, await page.Locator("[data-test=cluster-card][data-name='Alpha'] [data-test=category-topic]").CountAsync());

            var alphaName = page.Locator("[data-test=cluster-card][data-name='Alpha'] [data-test=category-name]");
            await alphaName.FillAsync("Replication");
            await alphaName.PressAsync("Enter");
            var replication = page.Locator("[data-test=cluster-card][data-name='Replication']");
            await replication.WaitForAsync();

            // Breadcrumbs name the dataset, not "Dataset".
            Assert.Contains("HDFS journey", await page.InnerTextAsync(".mud-breadcrumbs"), StringComparison.Ordinal);

            // Move a strip by hand: the first shown in a card other than Replication, into Replication. A strip stands for
            // all its identical sequences (×n): the action says how many, asks first, and moves all of them.
            var source = page.Locator("[data-test=cluster-card]:not([data-name='Replication']):has([data-test=move-sequence])").First;
            var movedByHand = "[data-test=cluster-card][data-name='Replication'] >> text=moved by hand";
            var sizeBefore = await SizeAsync(replication);
            count = int.Parse(await source.Locator("[data-test=move-sequence]").First.GetAttributeAsync("data-count") ?? "1", CultureInfo.InvariantCulture);
            async Task MoveStripAsync()
            {
                await source.Locator("[data-test=move-sequence]").First.SelectOptionAsync(new SelectOptionValue { Label = "Replication" });
                if (count > 1)
                {
                    var confirm = page.Locator("[data-test=move-confirm]");
                    Assert.Contains($"Move all {count} identical sequences to 'Replication'", await confirm.InnerTextAsync(), StringComparison.Ordinal);
                    await confirm.Locator("[data-test=move-confirm-button]").ClickAsync();
                }
            }
            await MoveStripAsync();
            await page.WaitForSelectorAsync(movedByHand);
            Assert.Equal(sizeBefore + count, await SizeAsync(replication));
            Assert.Contains($"{count} moved by hand", await replication.InnerTextAsync(), StringComparison.Ordinal);

            // Ctrl+Z outside a text field undoes the move; the move is made again after.
            await page.ClickAsync("#clustering-title");
            await page.Keyboard.PressAsync("Control+z");
            await page.WaitForSelectorAsync(movedByHand, new() { State = WaitForSelectorState.Detached });
            Assert.Equal(sizeBefore, await SizeAsync(replication));
            await MoveStripAsync();
            await page.WaitForSelectorAsync(movedByHand);

            // The search finds sequences by pattern and shows their cluster.
            await page.FillAsync("#pattern", "^ 22 5");
            await page.PressAsync("#pattern", "Enter");
            await page.WaitForSelectorAsync("[data-test=search-hit]");

            await page.ClickAsync("#save-version");
            await page.WaitForSelectorAsync("text=Version saved");
            await RunningApp.ScreenshotAsync(page, "curation-workbench");

            // The version is listed on the dataset page, read-only, and compares with the draft it came from.
            await page.GotoAsync($"/sequences/{datasetId}");
            await page.WaitUntilInteractiveAsync();
            await page.WaitForSelectorAsync("#clustering-list tr[data-kind='curated'][data-status='Saved']");
            // The ensemble's run also stored the single-LDA clusterings (one per k) to compare with.
            // (waited for, not counted at once: the interactive render replaces the prerendered list)
            await page.WaitForSelectorAsync("#clustering-list tr[data-kind='lda']");
            await RunningApp.ScreenshotAsync(page, "sequence-dataset");
            await page.GotoAsync($"/sequences/{datasetId}/topics?topic={topics[(3, 1)]}");
            await page.WaitUntilInteractiveAsync();
            await page.WaitForSelectorAsync("[data-test=topic-sequence]");
            // Each heatmap cell says which event, topic and weight it shows; the breadcrumbs name the dataset.
            Assert.StartsWith("Event E1 ", await page.Locator(".heat-cell").First.GetAttributeAsync("title") ?? "", StringComparison.Ordinal);
            Assert.Contains("HDFS journey", await page.InnerTextAsync(".mud-breadcrumbs"), StringComparison.Ordinal);
            await RunningApp.ScreenshotAsync(page, "sequence-topics");
            var version = await app.Database.ScalarAsync<int>(
                $"SELECT \"Id\" FROM \"Clusterings\" WHERE \"DatasetId\" = {datasetId} AND \"Status\" = 'Saved' AND \"Kind\" = 'curated'");
            var draft = await app.Database.ScalarAsync<int>(
                $"SELECT \"Id\" FROM \"Clusterings\" WHERE \"DatasetId\" = {datasetId} AND \"Status\" = 'Draft' AND \"Kind\" = 'curated'");
            await page.GotoAsync($"/sequences/{datasetId}/compare?a={draft}&b={version}");
            await page.WaitUntilInteractiveAsync();
            await page.WaitForSelectorAsync("#adjusted-rand");
            Assert.Equal("1.000", await page.InnerTextAsync("#adjusted-rand"));
            await page.GotoAsync($"/sequences/{datasetId}/compare");
            await page.WaitUntilInteractiveAsync();
            await page.WaitForSelectorAsync("#contingency");
            await RunningApp.ScreenshotAsync(page, "sequence-compare");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{await page.InnerTextAsync("body")}\n{app.Logs}", e);
        }

        await using (var db = app.Database.CreateContext())
        {
            var saved = await db.Clusterings.SingleAsync(c => c.DatasetId == datasetId && c.Kind == ClusteringKinds.Curated && c.Status == ClusteringStatus.Saved);
            Assert.Equal(1, saved.Version);
            Assert.Equal(["Others", "Replication", "Beta"], await db.Clusters.Where(c => c.ClusteringId == saved.Id).OrderBy(c => c.Index).Select(c => c.Name).ToListAsync());
            // The strip moved stood for `count` identical sequences: all of them were moved by hand.
            Assert.Equal(count, await db.SequenceAssignments.CountAsync(a => a.ClusteringId == saved.Id && a.IsManual));
            var actions = await db.AuditRecords.Where(r => r.UserName == "curator@demo.local" && r.Action.StartsWith("sequences.")).Select(r => r.Action).ToListAsync();
            foreach (var action in new[] { "sequences.draft.create", "sequences.category.create", "sequences.category.rename", "sequences.sequence.move", "sequences.draft.undo", "sequences.version.save" })
            {
                Assert.Contains(action, actions);
            }
        }
    }

    private static async Task<int> SizeAsync(ILocator card) =>
        int.Parse(await card.GetAttributeAsync("data-size") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
}
