using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Testing;
using WebApp.Web.Sequences;
using WebApp.Web.Sequences.Curation;

namespace WebApp.IntegrationTests;

/// <summary>The curator's workbench service against PostgreSQL, on a dataset small enough to check by hand.</summary>
public class SequenceCurationTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly AuditActor Curator = new("user-cura", "curator@demo.local");
    private CurationService Curation => app.Services.GetRequiredService<CurationService>();
    private CurationQueries Queries => app.Services.GetRequiredService<CurationQueries>();

    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    /// <summary>
    /// Four sequences over events A, B, C and an ensemble k = 2, 3 with fixed mixtures:
    /// s1 (0.9, 0.1 | 0.8, 0.1, 0.1), s2 (0.3, 0.7 | 0.1, 0.6, 0.3), s3 (0.2, 0.8 | 0.05, 0.15, 0.8), s4 (0.5, 0.5 | 0.34, 0.33, 0.33).
    /// </summary>
    private async Task<Seeded> SeedAsync()
    {
        await using var db = await DbAsync();
        var datasetId = await SyntheticSequences.CreateDatasetAsync(db, $"hand-{Guid.NewGuid():N}", ["A", "B", "C"],
            [[0, 0, 1], [1, 1, 2], [2, 2, 2], [0, 1, 2]]);
        var ids = await db.EventSequences.Where(s => s.DatasetId == datasetId).OrderBy(s => s.Ordinal).Select(s => s.Id).ToArrayAsync();
        var mixtures = new Dictionary<int, float[][]>
        {
            [2] = [[0.9f, 0.1f], [0.3f, 0.7f], [0.2f, 0.8f], [0.5f, 0.5f]],
            [3] = [[0.8f, 0.1f, 0.1f], [0.1f, 0.6f, 0.3f], [0.05f, 0.15f, 0.8f], [0.34f, 0.33f, 0.33f]],
        };
        var runId = await SyntheticSequences.CreateEnsembleAsync(db, datasetId,
            mixtures.ToDictionary(m => m.Key, m => SyntheticSequences.TopicWeights(m.Key, 3)),
            (k, _) => ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => mixtures[k][x.i]));
        var topics = await (from model in db.TopicModels
                            join topic in db.Topics on model.Id equals topic.TopicModelId
                            where model.EnsembleRunId == runId
                            select new { model.TopicCount, topic.Index, topic.Id }).ToDictionaryAsync(t => (t.TopicCount, t.Index), t => t.Id);
        return new Seeded(datasetId, runId, ids, topics);
    }

    private sealed record Seeded(int DatasetId, Guid RunId, long[] Sequences, Dictionary<(int K, int Index), int> Topics);

    private async Task<Dictionary<long, (string Category, float? Score, bool Manual)>> AssignmentsAsync(int clusteringId)
    {
        await using var db = await DbAsync();
        return await (from a in db.SequenceAssignments
                      join c in db.Clusters on a.ClusterId equals c.Id
                      where a.ClusteringId == clusteringId
                      select new { a.SequenceId, c.Name, a.Score, a.IsManual })
            .ToDictionaryAsync(a => a.SequenceId, a => (a.Name, a.Score, a.IsManual));
    }

    private async Task<int> ClusterIdAsync(int clusteringId, string name)
    {
        await using var db = await DbAsync();
        return await db.Clusters.Where(c => c.ClusteringId == clusteringId && c.Name == name).Select(c => c.Id).SingleAsync();
    }

    private static uint Ok(CurationResult result)
    {
        Assert.True(result.Succeeded, result.Error);
        return result.RowVersion;
    }

    [Fact]
    public async Task Categories_from_topics_assign_by_the_rule_and_moves_undo_and_stale_edits_behave()
    {
        var data = await SeedAsync();
        var start = await Curation.StartDraftAsync(data.DatasetId, data.RunId, null, Curator);
        var draftId = start.ClusteringId!.Value;
        var version = Ok(start);
        Assert.All((await AssignmentsAsync(draftId)).Values, a => Assert.Equal(CurationDraft.OthersName, a.Category));

        version = Ok(await Curation.CreateCategoryAsync(draftId, version, "Alpha", "", [data.Topics[(2, 0)]], Curator));
        // Beta merges topics across k: mean of k2·t2 and k3·t3.
        version = Ok(await Curation.CreateCategoryAsync(draftId, version, "Beta", "", [data.Topics[(2, 1)], data.Topics[(3, 2)]], Curator));
        var assigned = await AssignmentsAsync(draftId);
        Assert.Equal(("Alpha", 0.9f), (assigned[data.Sequences[0]].Category, assigned[data.Sequences[0]].Score!.Value), new ScoreComparer());
        Assert.Equal(("Beta", 0.5f), (assigned[data.Sequences[1]].Category, assigned[data.Sequences[1]].Score!.Value), new ScoreComparer());
        Assert.Equal(("Beta", 0.8f), (assigned[data.Sequences[2]].Category, assigned[data.Sequences[2]].Score!.Value), new ScoreComparer());
        Assert.Equal(("Alpha", 0.5f), (assigned[data.Sequences[3]].Category, assigned[data.Sequences[3]].Score!.Value), new ScoreComparer());

        // Above 0.5 only s1 (0.9) and s3 (0.8) keep their category.
        version = Ok(await Curation.SetThresholdAsync(draftId, version, 0.6, Curator));
        assigned = await AssignmentsAsync(draftId);
        Assert.Equal(["Alpha", "Others", "Beta", "Others"], data.Sequences.Select(s => assigned[s].Category));

        var beta = await ClusterIdAsync(draftId, "Beta");
        version = Ok(await Curation.MoveSequenceAsync(draftId, version, data.Sequences[3], beta, Curator));
        // Without k3·t3, Beta is k2·t2 alone: s2 scores 0.7 and joins it; s4 stays where the curator put it.
        version = Ok(await Curation.RemoveTopicAsync(draftId, version, beta, data.Topics[(3, 2)], Curator));
        assigned = await AssignmentsAsync(draftId);
        Assert.Equal(["Alpha", "Beta", "Beta", "Beta"], data.Sequences.Select(s => assigned[s].Category));
        Assert.True(assigned[data.Sequences[3]].Manual);
        Assert.False(assigned[data.Sequences[1]].Manual);

        var stale = version;
        version = Ok(await Curation.UndoAsync(draftId, version, Curator));
        assigned = await AssignmentsAsync(draftId);
        Assert.Equal(["Alpha", "Others", "Beta", "Beta"], data.Sequences.Select(s => assigned[s].Category));
        await using (var db = await DbAsync())
        {
            Assert.Equal([data.Topics[(2, 1)], data.Topics[(3, 2)]], (await db.Clusters.SingleAsync(c => c.Id == beta)).TopicIds);
        }

        // An edit made on the state before the undo is refused and changes nothing.
        var refused = await Curation.RenameCategoryAsync(draftId, stale, beta, "Gamma", Curator);
        Assert.False(refused.Succeeded);
        Assert.Equal(CurationService.StaleMessage, refused.Error);
        Assert.Equal(0, await CountAsync(draftId, "Gamma"));

        version = Ok(await Curation.RenameCategoryAsync(draftId, version, beta, "Gamma", Curator));
        Assert.Equal(1, await CountAsync(draftId, "Gamma"));
        version = Ok(await Curation.UndoAsync(draftId, version, Curator));
        version = Ok(await Curation.UndoAsync(draftId, version, Curator)); // the move
        assigned = await AssignmentsAsync(draftId);
        Assert.Equal(["Alpha", "Others", "Beta", "Others"], data.Sequences.Select(s => assigned[s].Category));
        Assert.DoesNotContain(assigned.Values, a => a.Manual);
        Assert.Equal(1, await CountAsync(draftId, "Beta"));

        await using (var db = await DbAsync())
        {
            var actions = await db.AuditRecords.Where(r => r.EntityType == "Clustering" && r.EntityId == draftId.ToString(CultureInfo.InvariantCulture)).OrderBy(r => r.Id).Select(r => r.Action).ToListAsync();
            Assert.Equal(["sequences.draft.create", "sequences.category.create", "sequences.category.create", "sequences.draft.threshold",
                "sequences.sequence.move", "sequences.category.remove-topic", "sequences.draft.undo", "sequences.category.rename",
                "sequences.draft.undo", "sequences.draft.undo"], actions);
            Assert.Equal(3, await db.CurationSteps.CountAsync(s => s.ClusteringId == draftId));
        }
    }

    [Fact]
    public async Task Moving_a_strip_moves_every_identical_sequence_of_its_category_in_one_undoable_step()
    {
        await using var db = await DbAsync();
        // s1–s3 are identical (what a strip marked ×3 stands for); s4 differs.
        var datasetId = await SyntheticSequences.CreateDatasetAsync(db, $"copies-{Guid.NewGuid():N}", ["A", "B", "C"],
            [[0, 0, 1], [0, 0, 1], [0, 0, 1], [2, 2, 2]]);
        var ids = await db.EventSequences.Where(s => s.DatasetId == datasetId).OrderBy(s => s.Ordinal).Select(s => s.Id).ToArrayAsync();
        var runId = await SyntheticSequences.CreateEnsembleAsync(db, datasetId, new Dictionary<int, float[][]> { [2] = SyntheticSequences.TopicWeights(2, 3) },
            (_, _) => ids.ToDictionary(id => id, _ => Enumerable.Repeat(0.5f, 2).ToArray()));
        var start = await Curation.StartDraftAsync(datasetId, runId, null, Curator);
        var draftId = start.ClusteringId!.Value;
        var version = Ok(start);
        version = Ok(await Curation.CreateCategoryAsync(draftId, version, "Copies", "", [], Curator));
        var copies = await ClusterIdAsync(draftId, "Copies");

        var moved = await Curation.MoveIdenticalSequencesAsync(draftId, version, ids[1], copies, Curator);
        version = Ok(moved);
        Assert.Equal(3, moved.Moved);
        var assigned = await AssignmentsAsync(draftId);
        Assert.Equal(["Copies", "Copies", "Copies", CurationDraft.OthersName], ids.Select(s => assigned[s].Category));
        Assert.All(ids.Take(3), s => Assert.True(assigned[s].Manual));
        await using (var check = await DbAsync())
        {
            Assert.Contains("move 3 identical sequences", (await check.CurationSteps.Where(s => s.ClusteringId == draftId).OrderByDescending(s => s.Id).FirstAsync()).Summary);
        }

        // One undo puts all three back.
        Ok(await Curation.UndoAsync(draftId, version, Curator));
        assigned = await AssignmentsAsync(draftId);
        Assert.All(ids, s => Assert.Equal(CurationDraft.OthersName, assigned[s].Category));
    }

    private async Task<int> CountAsync(int clusteringId, string name)
    {
        await using var db = await DbAsync();
        return await db.Clusters.CountAsync(c => c.ClusteringId == clusteringId && c.Name == name);
    }

    [Fact]
    public async Task Two_edits_racing_on_the_same_row_version_apply_one_and_refuse_the_other()
    {
        var data = await SeedAsync();
        var start = await Curation.StartDraftAsync(data.DatasetId, data.RunId, null, Curator);
        var draftId = start.ClusteringId!.Value;
        var version = Ok(await Curation.CreateCategoryAsync(draftId, start.RowVersion, "Alpha", "", [data.Topics[(2, 0)]], Curator));
        var alpha = await ClusterIdAsync(draftId, "Alpha");

        for (var round = 0; round < 5; round++)
        {
            var results = await Task.WhenAll(
                Curation.RenameCategoryAsync(draftId, version, alpha, $"First {round}", Curator),
                Curation.SetThresholdAsync(draftId, version, 0.1 + round / 10.0, Curator));
            Assert.Single(results, r => r.Succeeded);
            Assert.Single(results, r => r.Error == CurationService.StaleMessage);
            version = results.Single(r => r.Succeeded).RowVersion;
        }
        await using var db = await DbAsync();
        Assert.Equal(6, await db.CurationSteps.CountAsync(s => s.ClusteringId == draftId));
    }

    [Fact]
    public async Task Saving_freezes_a_version_that_cannot_change_and_a_new_draft_continues_from_it()
    {
        var data = await SeedAsync();
        var start = await Curation.StartDraftAsync(data.DatasetId, data.RunId, null, Curator);
        var draftId = start.ClusteringId!.Value;
        var version = Ok(start);
        version = Ok(await Curation.CreateCategoryAsync(draftId, version, "Alpha", "the first", [data.Topics[(2, 0)]], Curator));
        var alpha = await ClusterIdAsync(draftId, "Alpha");
        version = Ok(await Curation.MoveSequenceAsync(draftId, version, data.Sequences[2], alpha, Curator));

        var saved = await Curation.SaveVersionAsync(draftId, version, Curator);
        Assert.True(saved.Succeeded, saved.Error);
        var savedId = saved.ClusteringId!.Value;
        version = saved.RowVersion;
        await using (var db = await DbAsync())
        {
            var clustering = await db.Clusterings.SingleAsync(c => c.Id == savedId);
            Assert.Equal((ClusteringStatus.Saved, 1, draftId), (clustering.Status, clustering.Version, clustering.BasedOnId));
            Assert.NotNull(clustering.Silhouette);
            Assert.Contains(await db.AuditRecords.Where(r => r.EntityId == savedId.ToString(CultureInfo.InvariantCulture)).Select(r => r.Action).ToListAsync(),
                a => a == "sequences.version.save");
        }
        Assert.Equal(await AssignmentsAsync(draftId), await AssignmentsAsync(savedId));

        var savedAlpha = await ClusterIdAsync(savedId, "Alpha");
        var refused = await Curation.RenameCategoryAsync(savedId, 0, savedAlpha, "Changed", Curator);
        Assert.False(refused.Succeeded);
        Assert.Contains("cannot be changed", refused.Error);

        // The draft goes on; the version does not follow it.
        version = Ok(await Curation.RenameCategoryAsync(draftId, version, alpha, "Alpha prime", Curator));
        Assert.Equal("Alpha", (await AssignmentsAsync(savedId))[data.Sequences[0]].Category);
        var second = await Curation.SaveVersionAsync(draftId, version, Curator);
        version = Ok(second);
        await using (var db = await DbAsync())
        {
            Assert.Equal(2, (await db.Clusterings.SingleAsync(c => c.Id == second.ClusteringId)).Version);
        }
        // Undoing a save discards that version.
        version = Ok(await Curation.UndoAsync(draftId, version, Curator));
        await using (var db = await DbAsync())
        {
            Assert.False(await db.Clusterings.AnyAsync(c => c.Id == second.ClusteringId));
            Assert.Equal(1, await db.AuditRecords.CountAsync(r => r.Action == "sequences.version.discard"
                && r.EntityId == second.ClusteringId!.Value.ToString(CultureInfo.InvariantCulture)));
        }

        var continued = await Curation.StartDraftAsync(data.DatasetId, null, savedId, Curator);
        Assert.True(continued.Succeeded, continued.Error);
        var copy = await AssignmentsAsync(continued.ClusteringId!.Value);
        Assert.Equal(await AssignmentsAsync(savedId), copy);
        Assert.True(copy[data.Sequences[2]].Manual);

        // Version 1 now has a draft built on it: undoing its save is refused and changes nothing.
        version = Ok(await Curation.UndoAsync(draftId, version, Curator)); // the rename
        var refusedUndo = await Curation.UndoAsync(draftId, version, Curator);
        Assert.False(refusedUndo.Succeeded);
        Assert.Contains("continues from that version", refusedUndo.Error);
        Assert.Equal(copy, await AssignmentsAsync(savedId));
    }

    [Fact]
    public async Task Workbench_views_search_compare_and_vocabulary_edits_work_on_the_tiny_hdfs_fixture()
    {
        int datasetId;
        Guid runId;
        await using (var db = await DbAsync())
        {
            datasetId = await SyntheticSequences.LoadHdfsAsync(db, $"tiny-{Guid.NewGuid():N}", tiny: true);
            runId = await SyntheticSequences.CreateEnsembleAsync(db, datasetId, [2, 3, 4]);
        }
        var start = await Curation.StartDraftAsync(datasetId, runId, null, Curator);
        var draftId = start.ClusteringId!.Value;
        var topics = (await Queries.TopicsAsync(datasetId, null))!.Ensemble!.Topics;
        Assert.Equal(9, topics.Count);
        var version = Ok(await Curation.CreateCategoryAsync(draftId, start.RowVersion, "First", "", [topics[0].Id], Curator));
        Ok(await Curation.CreateCategoryAsync(draftId, version, "Second", "", [topics[1].Id], Curator));

        var view = (await Queries.WorkbenchAsync(datasetId, draftId))!;
        Assert.Equal(view.TrainCount, view.Cards.Sum(c => c.Size));
        Assert.All(view.Cards.Where(c => c.Size > 0), c =>
        {
            Assert.InRange(c.Representatives.Count, 1, CurationQueries.RepresentativeCount);
            Assert.True(c.Entropy > 0);
        });
        var quality = (await Queries.QualityAsync(draftId))!;
        Assert.InRange(quality.Overall, -1, 1);

        var search = await Queries.SearchAsync(datasetId, draftId, "^ 22 ? 5");
        Assert.Null(search.Error);
        Assert.True(search.Total > 0);
        Assert.All(search.Hits, h => Assert.Equal(0, h.Start));
        Assert.NotNull((await Queries.SearchAsync(datasetId, draftId, "22 nonsense")).Error);

        var other = await Curation.StartDraftAsync(datasetId, runId, null, Curator);
        var comparison = (await Queries.CompareAsync(datasetId, draftId, other.ClusteringId!.Value))!;
        Assert.Equal(view.TrainCount, comparison.Items);
        Assert.Equal(view.TrainCount, comparison.FirstClusters.Sum(c => c.Size));

        // The overview lists the dataset's clustering runs (the launcher's job run, queued for a worker).
        var launched = await app.Services.GetRequiredService<SequenceJobLauncher>()
            .ClusterAsync(SequenceClusteringParameters.Defaults(datasetId, ClusteringKinds.KMeans), Curator);
        Assert.Empty(launched.Errors);
        var overview = (await Queries.OverviewAsync(datasetId))!;
        Assert.Equal(launched.JobRunId, Assert.Single(overview.JobRuns).Id);
        Assert.Equal((300, 2), (overview.TrainCount, overview.Clusterings.Count));

        await using (var db = await DbAsync())
        {
            var eventType = await db.SequenceEventTypes.FirstAsync(e => e.DatasetId == datasetId);
            Assert.False((await Curation.EditEventTypeAsync(eventType.Id, "Open block", "red", Curator)).Succeeded);
            Assert.True((await Curation.EditEventTypeAsync(eventType.Id, "Open block", "#AA0000", Curator)).Succeeded);
            Assert.Equal(1, await db.AuditRecords.CountAsync(r => r.Action == "sequences.vocabulary.edit" && r.EntityId == eventType.Id.ToString(CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public async Task The_workbench_pages_render_for_a_curator_with_data_and_with_none()
    {
        int datasetId;
        Guid runId;
        await using (var db = await DbAsync())
        {
            datasetId = await SyntheticSequences.LoadHdfsAsync(db, $"pages-{Guid.NewGuid():N}", tiny: true);
            runId = await SyntheticSequences.CreateEnsembleAsync(db, datasetId, [2, 3]);
        }
        var client = await app.ClientAsync("curator@demo.local");
        var overview = await client.GetStringAsync($"/sequences/{datasetId}");
        Assert.Contains("New curated draft", overview);
        Assert.Contains("No clusterings yet", overview);

        var start = await Curation.StartDraftAsync(datasetId, runId, null, Curator);
        var topics = (await Queries.TopicsAsync(datasetId, null))!.Ensemble!.Topics;
        Ok(await Curation.CreateCategoryAsync(start.ClusteringId!.Value, start.RowVersion, "Replication", "", [topics[0].Id], Curator));
        var other = await Curation.StartDraftAsync(datasetId, runId, null, Curator);

        var workbench = await client.GetStringAsync($"/sequences/{datasetId}/clusterings/{start.ClusteringId}");
        Assert.Contains("data-name=\"Replication\"", workbench);
        Assert.Contains("data-test=\"sequence-strip\"", workbench);
        Assert.Contains("data-test=\"topic-heatmap\"", workbench);
        var topicPage = await client.GetStringAsync($"/sequences/{datasetId}/topics?topic={topics[1].Id}");
        Assert.Contains("data-test=\"topic-sequence\"", topicPage);
        var compare = await client.GetStringAsync($"/sequences/{datasetId}/compare?a={start.ClusteringId}&b={other.ClusteringId}");
        Assert.Contains("id=\"adjusted-rand\"", compare);
        Assert.Contains("Dataset not found", await client.GetStringAsync("/sequences/999999"));
        Assert.Contains("Clustering not found", await client.GetStringAsync($"/sequences/{datasetId}/clusterings/999999"));
    }

    private sealed class ScoreComparer : IEqualityComparer<(string, float)>
    {
        public bool Equals((string, float) x, (string, float) y) => x.Item1 == y.Item1 && Math.Abs(x.Item2 - y.Item2) < 1e-5;
        public int GetHashCode((string, float) obj) => obj.Item1.GetHashCode(StringComparison.Ordinal);
    }
}
