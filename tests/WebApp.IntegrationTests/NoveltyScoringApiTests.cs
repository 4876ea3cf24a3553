using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Identity;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;

namespace WebApp.IntegrationTests;

public class NoveltyScoringApiTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static string EmailOf(string role) => $"{role.ToLowerInvariant()}@demo.local";

    /// <summary>A dataset with events "5", "22", "11" and a global-only model set whose one model has small fixed weights.</summary>
    private async Task<(int DatasetId, int SetId, int ModelId)> SeedAsync(double threshold)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var dataset = new SequenceDataset { Name = $"api {Guid.NewGuid():N}", CreatedAt = DateTime.UtcNow, CreatedByName = "t" };
        db.SequenceDatasets.Add(dataset);
        await db.SaveChangesAsync();
        string[] keys = ["5", "22", "11"];
        db.SequenceEventTypes.AddRange(keys.Select((k, i) => new SequenceEventType { DatasetId = dataset.Id, Index = i, Key = k, DisplayName = k }));
        var set = new NoveltyModelSet { DatasetId = dataset.Id, Name = "global", Parameters = JsonSerializer.Serialize(NoveltyTrainingSettings.Defaults()), CreatedAt = DateTime.UtcNow };
        db.NoveltyModelSets.Add(set);
        await db.SaveChangesAsync();
        var model = new NoveltyModel { ModelSetId = set.Id, Status = NoveltyModelStatus.Ready, Threshold = threshold, ValidationScores = [1, 2, 3], CreatedAt = DateTime.UtcNow };
        db.NoveltyModels.Add(model);
        await db.SaveChangesAsync();
        db.NoveltyModelFiles.Add(new NoveltyModelFile { ModelId = model.Id, Content = Weights(keys.Length).ToBytes() });
        await db.SaveChangesAsync();
        return (dataset.Id, set.Id, model.Id);
    }

    private static NextEventWeights Weights(int events)
    {
        const int embedding = 2, hidden = 2;
        var tokens = new NextEventVocabulary(events).Size;
        var random = new Random(7);
        float[] Values(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5))];
        return new NextEventWeights(events, embedding, hidden, Values(tokens * embedding),
            [new NextEventLstmLayer(Values(4 * hidden * embedding), Values(4 * hidden * hidden), Values(4 * hidden), Values(4 * hidden))],
            Values(tokens * hidden), Values(tokens));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Anonymous_callers_get_401_and_other_roles_403()
    {
        var (datasetId, setId, _) = await SeedAsync(10);
        var url = $"/api/sequences/{datasetId}/models/{setId}/score";
        const string body = """{"sequences":[{"id":"a","events":["5","22"]}]}""";

        Assert.Equal(HttpStatusCode.Unauthorized, (await (await app.ClientAsync()).PostAsync(url, Json(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync(EmailOf(Roles.Expert))).PostAsync(url, Json(body))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.ClientAsync(EmailOf(Roles.Admin))).PostAsync(url, Json(body))).StatusCode);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("{}", "\\\"sequences\\\" array")]
    [InlineData("""{"sequences":[]}""", "is empty")]
    [InlineData("""{"sequences":[{"id":"x","events":[]}]}""", "Sequence 'x' has no events")]
    [InlineData("""{"sequences":[{"id":"x"}]}""", "no \\\"events\\\" array")]
    [InlineData("""{"sequences":[{"events":["5",""]}]}""", "Sequence 1 has an empty event")]
    public async Task Malformed_input_is_refused_with_400_and_a_clear_message(string body, string message)
    {
        var (datasetId, setId, _) = await SeedAsync(10);
        var client = await app.ClientAsync(EmailOf(Roles.Curator));

        var response = await client.PostAsync($"/api/sequences/{datasetId}/models/{setId}/score", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_dataset_or_set_is_404()
    {
        var (datasetId, setId, _) = await SeedAsync(10);
        var client = await app.ClientAsync(EmailOf(Roles.Curator));
        const string body = """{"sequences":[{"id":"a","events":["5"]}]}""";

        var wrongDataset = await client.PostAsync($"/api/sequences/{datasetId + 1000}/models/{setId}/score", Json(body));
        var wrongSet = await client.PostAsync($"/api/sequences/{datasetId}/models/{setId + 1000}/score", Json(body));

        Assert.Equal(HttpStatusCode.NotFound, wrongDataset.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongSet.StatusCode);
        Assert.Contains("has no model set", await wrongSet.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_good_request_answers_per_sequence_with_perplexity_surprise_flag_and_reason()
    {
        var (datasetId, setId, modelId) = await SeedAsync(threshold: 3.5);
        var client = await app.ClientAsync(EmailOf(Roles.Curator));
        var expected = new LstmInference(Weights(3));

        var response = await client.PostAsync($"/api/sequences/{datasetId}/models/{setId}/score",
            Json("""{"sequences":[{"id":"a","events":["5","22","11"]},{"id":"b","events":["5","999"]}]}"""));

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["a", "b"], results.Select(r => r.GetProperty("id").GetString()));
        var a = expected.Score([0, 1, 2]);
        Assert.Equal(a.Perplexity, results[0].GetProperty("perplexity").GetDouble(), 5);
        Assert.Equal(4, results[0].GetProperty("surprise").GetArrayLength());
        Assert.Equal(a.Perplexity > 3.5, results[0].GetProperty("novel").GetBoolean());
        Assert.Equal(modelId, results[0].GetProperty("modelId").GetInt32());
        Assert.Equal(JsonValueKind.Null, results[0].GetProperty("clusterId").ValueKind);
        Assert.Contains("global model", results[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, results[1].GetProperty("unknownEvents").GetInt32());
        Assert.Equal(expected.Score([0, -1]).Perplexity, results[1].GetProperty("perplexity").GetDouble(), 5);
    }
}
