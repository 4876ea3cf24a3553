using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Identity;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;
using WebApp.Web.Training.Registry;

namespace WebApp.IntegrationTests.Training;

public class ModelRegistryTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly DateTime Start = new(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly byte[] RelationBytes = [7, 1, 2, 3, 4, 5];

    private ModelRegistryQueries Registry => app.Services.GetRequiredService<ModelRegistryQueries>();

    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    private static string EmailOf(string role) => WebApp.Web.Identity.SeedOptions.DemoUsers.Single(u => u.Role == role).Email;

    private async Task<AuditActor> AdminAsync()
    {
        await using var db = await DbAsync();
        var admin = await db.Users.SingleAsync(u => u.Email == EmailOf(Roles.Admin));
        return new AuditActor(admin.Id, admin.Email!);
    }

    private static string RelationMetrics(double auc, double goldF1, double recallAtHalf) =>
        JsonSerializer.Serialize(new ModelEvaluation(
            new HeldOutEvaluation(auc, 0.9, 0.8, 0.7, 0.6, 0.5, 100, [new PrPoint(0, 1), new PrPoint(0.5, recallAtHalf), new PrPoint(1, 0.3)], []),
            new SentenceEvaluation(0.6, 0.5, goldF1, 80, []), [new EpochRecord(1, 0.4, auc, 2)], 1), JobJson.Options);

    private static string NoveltyEvaluationJson(double rocAuc, double f1)
    {
        var summary = new DetectionSummary(90, 10, rocAuc, 0.5, f1, 0.6, 0.7, 0.02, [[0, 0], [0.1, rocAuc], [1, 1]]);
        return JsonSerializer.Serialize(new NoveltyEvaluation(100, 90, new EvaluatedPart(summary, summary), new EvaluatedPart(summary, summary), [], 1.5, Start),
            JobJson.Options);
    }

    /// <summary>A project with versions 1 and 2 (2 has a model file), the first active.</summary>
    private async Task<(int ProjectId, ModelVersion V1, ModelVersion V2)> SeedRelationAsync()
    {
        await using var db = await DbAsync();
        var project = await RelationProjects.CreateAsync(db, $"Registry {Guid.NewGuid():N}", "", "tester", CancellationToken.None);
        var v1 = new ModelVersion
        {
            ProjectId = project.Id,
            Number = 1,
            Architecture = "pcnn",
            CreatedAt = Start,
            CreatedByName = "tester",
            Device = "cpu (2 threads)",
            TrainingSeconds = 12,
            ModelSizeBytes = 2048,
            HeldOutAuc = 0.6,
            GoldF1 = 0.5,
            Metrics = RelationMetrics(0.6, 0.5, 0.6),
            Hyperparameters = """{"learningRate":0.01,"epochs":5}""",
            DataSnapshot = """{"train":{"bags":100},"labels":3}""",
        };
        var v2 = new ModelVersion
        {
            ProjectId = project.Id,
            Number = 2,
            Architecture = "pcnn",
            CreatedAt = Start.AddHours(1),
            CreatedByName = "tester",
            Device = "cuda",
            TrainingSeconds = 8,
            ModelSizeBytes = RelationBytes.Length,
            HeldOutAuc = 0.7,
            GoldF1 = 0.55,
            Metrics = RelationMetrics(0.7, 0.55, 0.7),
            Hyperparameters = """{"learningRate":0.02,"epochs":5}""",
            DataSnapshot = """{"train":{"bags":120},"labels":3}""",
            JobRunId = Guid.NewGuid(),
        };
        db.JobRuns.Add(new JobRun { Id = v2.JobRunId.Value, Kind = JobKinds.RelationTraining, CreatedAt = v2.CreatedAt });
        db.ModelVersions.AddRange(v1, v2);
        await db.SaveChangesAsync();
        db.ModelFiles.Add(new ModelFile { ModelVersionId = v2.Id, Content = RelationBytes });
        project.ActiveModelVersionId = v1.Id;
        await db.SaveChangesAsync();
        return (project.Id, v1, v2);
    }

    /// <summary>A dataset with events "5", "22", "11" and three sets: older and newer evaluated ones with a trained global model, and a newest one still training.</summary>
    private async Task<(int DatasetId, NoveltyModelSet Older, NoveltyModelSet Newer, NoveltyModelSet Training)> SeedNoveltyAsync()
    {
        await using var db = await DbAsync();
        var dataset = new SequenceDataset { Name = $"Registry {Guid.NewGuid():N}", CreatedAt = Start, CreatedByName = "tester" };
        db.SequenceDatasets.Add(dataset);
        await db.SaveChangesAsync();
        string[] keys = ["5", "22", "11"];
        db.SequenceEventTypes.AddRange(keys.Select((k, i) => new SequenceEventType { DatasetId = dataset.Id, Index = i, Key = k, DisplayName = k }));
        var parameters = JsonSerializer.Serialize(NoveltyTrainingSettings.Defaults(), JobJson.Options);
        var older = new NoveltyModelSet { DatasetId = dataset.Id, Name = "first", Parameters = parameters, CreatedAt = Start, CreatedByName = "tester", Evaluation = NoveltyEvaluationJson(0.9, 0.6) };
        var newer = new NoveltyModelSet { DatasetId = dataset.Id, Name = "second", Parameters = parameters, CreatedAt = Start.AddHours(1), CreatedByName = "tester", Evaluation = NoveltyEvaluationJson(0.95, 0.7) };
        var training = new NoveltyModelSet { DatasetId = dataset.Id, Name = "third", Parameters = parameters, CreatedAt = Start.AddHours(2), CreatedByName = "tester" };
        db.NoveltyModelSets.AddRange(older, newer, training);
        await db.SaveChangesAsync();
        foreach (var (set, seed) in new[] { (older, 1), (newer, 2) })
        {
            var model = new NoveltyModel
            {
                ModelSetId = set.Id,
                Status = NoveltyModelStatus.Ready,
                Threshold = 3 + seed,
                ValidationScores = [1, 2, 3],
                CreatedAt = set.CreatedAt,
                Hyperparameters = $$"""{"hidden":{{32 * seed}},"layers":1}""",
                Device = "cpu",
                TrainingSeconds = 10 * seed,
                TrainSequences = 50,
                ValidationSequences = 10,
                JobRunId = Guid.NewGuid(),
            };
            db.NoveltyModels.Add(model);
            await db.SaveChangesAsync();
            db.NoveltyModelFiles.Add(new NoveltyModelFile { ModelId = model.Id, Content = Weights(keys.Length, seed).ToBytes() });
        }
        db.NoveltyModels.Add(new NoveltyModel { ModelSetId = training.Id, Status = NoveltyModelStatus.Training, CreatedAt = training.CreatedAt });
        await db.SaveChangesAsync();
        return (dataset.Id, older, newer, training);
    }

    private static NextEventWeights Weights(int events, int seed)
    {
        const int embedding = 2, hidden = 2;
        var tokens = new NextEventVocabulary(events).Size;
        var random = new Random(seed);
        float[] Values(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5))];
        return new NextEventWeights(events, embedding, hidden, Values(tokens * embedding),
            [new NextEventLstmLayer(Values(4 * hidden * embedding), Values(4 * hidden * hidden), Values(4 * hidden), Values(4 * hidden))],
            Values(tokens * hidden), Values(tokens));
    }

    [Fact]
    public async Task The_registry_lists_both_types_newest_first_with_their_metrics_and_the_versions_used_for_predictions()
    {
        var (projectId, v1, v2) = await SeedRelationAsync();
        var (datasetId, older, newer, training) = await SeedNoveltyAsync();

        var relation = await Registry.ListAsync(new RegistryFilter(ModelKind.Relation, projectId));
        var novelty = await Registry.ListAsync(new RegistryFilter(ModelKind.Novelty, datasetId));
        var all = await Registry.ListAsync(new RegistryFilter());

        Assert.Equal([v2.Id, v1.Id], relation.Rows.Select(r => r.Model.Id));
        Assert.Equal(2, relation.Total);
        Assert.All(relation.Rows, r => Assert.Equal(ModelKind.Relation, r.Model.Kind));
        var (row1, row2) = (relation.Rows[1], relation.Rows[0]);
        Assert.Equal(("v1", 0.6, 0.5, true, false), (row1.Version, row1.Auc, row1.F1, row1.UsedForPredictions, row2.UsedForPredictions));
        Assert.Equal((v2.JobRunId, "cuda", 8.0, (long)RelationBytes.Length), (row2.JobRunId, row2.Device, row2.TrainingSeconds, row2.SizeBytes));

        Assert.Equal([training.Id, newer.Id, older.Id], novelty.Rows.Select(r => r.Model.Id));
        Assert.All(novelty.Rows, r => Assert.Equal(ModelKind.Novelty, r.Model.Kind));
        Assert.False(novelty.Rows[0].Evaluated);
        Assert.Equal((0.95, 0.7, true), (novelty.Rows[1].Auc, novelty.Rows[1].F1, novelty.Rows[1].Evaluated));
        // No set chosen yet: the newest one whose global model is trained is the one used.
        Assert.Equal([false, true, false], novelty.Rows.Select(r => r.UsedForPredictions));
        // The set still training cannot be offered for predictions; relation versions always can.
        Assert.Equal([false, true, true], novelty.Rows.Select(r => r.CanPredict));
        Assert.All(relation.Rows, r => Assert.True(r.CanPredict));
        Assert.True(novelty.Rows[1].SizeBytes > 0);
        Assert.Equal(20, novelty.Rows[1].TrainingSeconds);

        Assert.Contains(all.Rows, r => r.Model == new ModelRef(ModelKind.Relation, v2.Id));
        Assert.Contains(all.Rows, r => r.Model == new ModelRef(ModelKind.Novelty, training.Id));
        Assert.True(all.Rows.Zip(all.Rows.Skip(1)).All(p => p.First.CreatedAt >= p.Second.CreatedAt));
        var paged = await Registry.ListAsync(new RegistryFilter(ModelKind.Novelty, datasetId, Skip: 1, Take: 1));
        Assert.Equal([newer.Id], paged.Rows.Select(r => r.Model.Id));
        Assert.Equal(3, paged.Total);
        var owners = await Registry.OwnersAsync();
        Assert.Contains(new RegistryOwner(ModelKind.Relation, projectId, relation.Rows[0].OwnerName), owners);
        Assert.Contains(owners, o => o.Kind == ModelKind.Novelty && o.Id == datasetId);
    }

    [Fact]
    public async Task Comparing_two_versions_gives_metric_differences_differing_settings_and_both_curves()
    {
        var (_, v1, v2) = await SeedRelationAsync();
        var (_, older, newer, _) = await SeedNoveltyAsync();

        var (relation, relationError) = await Registry.CompareAsync(new(ModelKind.Relation, v1.Id), new(ModelKind.Relation, v2.Id));
        var (novelty, _) = await Registry.CompareAsync(new(ModelKind.Novelty, older.Id), new(ModelKind.Novelty, newer.Id));
        var (across, acrossError) = await Registry.CompareAsync(new(ModelKind.Relation, v1.Id), new(ModelKind.Novelty, newer.Id));
        var (_, missingError) = await Registry.CompareAsync(new(ModelKind.Relation, v1.Id), new(ModelKind.Relation, -1));

        Assert.Null(relationError);
        var auc = relation!.Metrics.Single(m => m.Name == "Held-out AUC");
        Assert.Equal(0.1, auc.Difference!.Value, 9);
        Assert.True(auc.Improved);
        Assert.True(relation.Metrics.Single(m => m.Name == "Training seconds").Improved);
        Assert.True(relation.Hyperparameters.Single(h => h.Key == "learningRate").Differs);
        Assert.False(relation.Hyperparameters.Single(h => h.Key == "epochs").Differs);
        Assert.Equal(("100", "120", true), (relation.DataSnapshot.Single(d => d.Key == "train.bags").A, relation.DataSnapshot.Single(d => d.Key == "train.bags").B,
            relation.DataSnapshot.Single(d => d.Key == "train.bags").Differs));
        Assert.False(relation.DataSnapshot.Single(d => d.Key == "labels").Differs);
        Assert.Equal(2, relation.Curves.Count);
        Assert.Equal(0.7, relation.Curves[1].Points[1].Y);

        var roc = novelty!.Metrics.Single(m => m.Name == "Overall ROC-AUC");
        Assert.Equal(0.05, roc.Difference!.Value, 9);
        Assert.True(novelty.Hyperparameters.Single(h => h.Key == "Global model.hidden").Differs);
        Assert.Equal(2, novelty.Curves.Count(c => c.Points.Count == 3));

        Assert.Null(across);
        Assert.Contains("same type", acrossError, StringComparison.Ordinal);
        Assert.Contains("no relation model version", missingError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Using_a_relation_version_for_predictions_switches_the_project_with_an_audit_record()
    {
        var (projectId, v1, v2) = await SeedRelationAsync();
        var actor = await AdminAsync();

        var error = await Registry.UseForPredictionsAsync(new(ModelKind.Relation, v2.Id), actor);

        Assert.Null(error);
        await using var db = await DbAsync();
        Assert.Equal(v2.Id, (await db.RelationProjects.SingleAsync(p => p.Id == projectId)).ActiveModelVersionId);
        var record = await db.AuditRecords.Where(r => r.Action == "relations.model-activated" && r.EntityId == projectId.ToString(CultureInfo.InvariantCulture))
            .SingleAsync();
        Assert.Equal(actor.UserId, record.UserId);
        Assert.Contains(v1.Id.ToString(CultureInfo.InvariantCulture), record.Before, StringComparison.Ordinal);
        Assert.True((await Registry.ListAsync(new RegistryFilter(ModelKind.Relation, projectId))).Rows.Single(r => r.Model.Id == v2.Id).UsedForPredictions);
        Assert.NotNull(await Registry.UseForPredictionsAsync(new(ModelKind.Relation, -5), actor));
    }

    [Fact]
    public async Task Using_a_novelty_set_for_predictions_is_audited_and_online_scoring_then_uses_it()
    {
        var (datasetId, older, newer, training) = await SeedNoveltyAsync();
        var actor = await AdminAsync();
        var client = await app.ClientAsync(EmailOf(Roles.Curator));
        var body = new StringContent("""{"sequences":[{"id":"a","events":["5","22","11"]}]}""", Encoding.UTF8, "application/json");
        async Task<int> ScoringSetAsync()
        {
            var response = await client.PostAsync($"/api/sequences/{datasetId}/score", body);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("modelSetId").GetInt32();
        }

        Assert.Equal(newer.Id, await ScoringSetAsync());
        Assert.Null(await Registry.UseForPredictionsAsync(new(ModelKind.Novelty, older.Id), actor));

        Assert.Equal(older.Id, await ScoringSetAsync());
        await using var db = await DbAsync();
        Assert.Equal(older.Id, (await db.SequenceDatasets.SingleAsync(d => d.Id == datasetId)).ActiveNoveltyModelSetId);
        var record = await db.AuditRecords.SingleAsync(r => r.Action == NoveltyPredictionSet.AuditAction && r.EntityId == datasetId.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(actor.UserId, record.UserId);
        var rows = (await Registry.ListAsync(new RegistryFilter(ModelKind.Novelty, datasetId))).Rows;
        Assert.Equal([older.Id], rows.Where(r => r.UsedForPredictions).Select(r => r.Model.Id));
        Assert.True((await Registry.NoveltyAsync(older.Id))!.ChosenForPredictions);

        // A set without a trained global model cannot score, so it is refused and nothing changes.
        Assert.Contains("not trained", await Registry.UseForPredictionsAsync(new(ModelKind.Novelty, training.Id), actor), StringComparison.Ordinal);
        Assert.Equal(older.Id, await ScoringSetAsync());
    }

    [Fact]
    public async Task A_dataset_without_a_trained_set_has_nothing_to_score_with()
    {
        await using var db = await DbAsync();
        var dataset = new SequenceDataset { Name = $"empty {Guid.NewGuid():N}", CreatedAt = Start };
        db.SequenceDatasets.Add(dataset);
        await db.SaveChangesAsync();
        var client = await app.ClientAsync(EmailOf(Roles.Curator));

        var response = await client.PostAsync($"/api/sequences/{dataset.Id}/score",
            new StringContent("""{"sequences":[{"id":"a","events":["5"]}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_relation_model_file_downloads_as_an_attachment_for_admins_only()
    {
        var (_, v1, v2) = await SeedRelationAsync();
        var url = $"/api/models/relation/{v2.Id}/file";

        var response = await (await app.ClientAsync(EmailOf(Roles.Admin))).GetAsync(url);

        response.EnsureSuccessStatusCode();
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches("^relation-registry-[0-9a-f]{32}-v2\\.pt$", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(RelationBytes, await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await (await app.ClientAsync()).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync(EmailOf(Roles.Expert))).GetAsync(url)).StatusCode);
        var admin = await app.ClientAsync(EmailOf(Roles.Admin));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/models/relation/999999/file")).StatusCode);
        // A version without a stored file.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/models/relation/{v1.Id}/file")).StatusCode);
    }

    [Fact]
    public async Task The_novelty_set_downloads_as_a_zip_of_its_models_with_a_manifest()
    {
        var (_, _, newer, _) = await SeedNoveltyAsync();
        var url = $"/api/models/novelty/{newer.Id}/file";
        await using var db = await DbAsync();
        var model = await db.NoveltyModels.SingleAsync(m => m.ModelSetId == newer.Id);
        var weights = await db.NoveltyModelFiles.Where(f => f.ModelId == model.Id).Select(f => f.Content).SingleAsync();

        var response = await (await app.ClientAsync(EmailOf(Roles.Admin))).GetAsync(url);

        response.EnsureSuccessStatusCode();
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith($"-set{newer.Id}.zip", response.Content.Headers.ContentDisposition?.FileNameStar, StringComparison.Ordinal);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal([ModelFileApi.ManifestName, ModelFileApi.ModelEntryName(null, model.Id)], zip.Entries.Select(e => e.FullName));
        using (var manifestStream = zip.GetEntry(ModelFileApi.ManifestName)!.Open())
        {
            var manifest = JsonDocument.Parse(manifestStream).RootElement;
            Assert.Equal(newer.Id, manifest.GetProperty("setId").GetInt32());
            var entry = manifest.GetProperty("models").EnumerateArray().Single();
            Assert.Equal(5, entry.GetProperty("threshold").GetDouble());
            Assert.Equal(JsonValueKind.Null, entry.GetProperty("clusterId").ValueKind);
            Assert.Equal(64, entry.GetProperty("hyperparameters").GetProperty("hidden").GetInt32());
            Assert.True(manifest.GetProperty("parameters").ValueKind == JsonValueKind.Object);
        }
        using var weightStream = new MemoryStream();
        using (var entryStream = zip.GetEntry(ModelFileApi.ModelEntryName(null, model.Id))!.Open()) await entryStream.CopyToAsync(weightStream);
        Assert.Equal(weights, weightStream.ToArray());

        Assert.Equal(HttpStatusCode.Unauthorized, (await (await app.ClientAsync()).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync(EmailOf(Roles.Curator))).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ClientAsync(EmailOf(Roles.Admin))).GetAsync("/api/models/novelty/999999/file")).StatusCode);
    }

    [Fact]
    public async Task The_registry_pages_render_their_rows_and_details()
    {
        var (projectId, _, v2) = await SeedRelationAsync();
        var (datasetId, older, newer, _) = await SeedNoveltyAsync();
        var admin = await app.ClientAsync(EmailOf(Roles.Admin));

        var list = await admin.GetStringAsync($"/admin/models?type=relation&owner={projectId}");
        var detail = await admin.GetStringAsync($"/admin/models/novelty/{newer.Id}");
        var compare = await admin.GetStringAsync($"/admin/models/compare?a=novelty:{older.Id}&b=relation:{v2.Id}");

        Assert.Contains($"data-model=\"relation:{v2.Id}\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("data-model=\"novelty:", list, StringComparison.Ordinal);
        Assert.Contains("data-active=\"true\"", list, StringComparison.Ordinal);
        Assert.Contains("novelty-parts", detail, StringComparison.Ordinal);
        Assert.Contains("used for predictions", detail, StringComparison.Ordinal);
        Assert.Contains("same type", compare, StringComparison.Ordinal);
        Assert.Contains("data-model=\"novelty:", await admin.GetStringAsync($"/admin/models?type=novelty&owner={datasetId}"), StringComparison.Ordinal);
        // The dataset's novelty page marks the set used for predictions and offers the others.
        var noveltyPage = await admin.GetStringAsync($"/sequences/{datasetId}/novelty");
        Assert.Matches($"data-model-set=\"{newer.Id}\"(?:(?!data-model-set=).)*prediction-set", noveltyPage.ReplaceLineEndings(" "));
        Assert.Contains("use-for-predictions", noveltyPage, StringComparison.Ordinal);
    }
}
