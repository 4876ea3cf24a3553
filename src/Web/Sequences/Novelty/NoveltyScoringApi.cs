using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using WebApp.Domain.Identity;
using WebApp.Domain.Sequences.Novelty;

namespace WebApp.Web.Sequences.Novelty;

/// <summary>The body of an online scoring request: sequences of event keys, each with the caller's id.</summary>
public sealed record ScoreRequest(IReadOnlyList<ScoreRequestSequence>? Sequences);

public sealed record ScoreRequestSequence(string? Id, IReadOnlyList<string>? Events);

/// <summary>
/// POST /api/sequences/{datasetId}/models/{setId}/score: scores sequences sent as JSON with a model set, for online
/// use. Curator or Admin (cookie, like the other APIs); 401 anonymous, 403 another role; malformed input 400 with a
/// ProblemDetails saying what is wrong; an unknown dataset or set 404. POST /api/sequences/{datasetId}/score does the same
/// with the dataset's set for predictions (<see cref="NoveltyPredictionSet"/>).
/// </summary>
public static class NoveltyScoringApi
{
    public const int MaxSequences = 1000;
    public const int MaxEvents = 10_000;
    public const int MaxBodyBytes = 8 << 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapNoveltyScoringApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/sequences/{datasetId:int}/models/{setId:int}/score", ScoreAsync)
            .RequireAuthorization(new AuthorizeAttribute { Roles = Roles.CuratorOrAdmin })
            .DisableAntiforgery();
        endpoints.MapPost("/api/sequences/{datasetId:int}/score", ScoreWithPredictionSetAsync)
            .RequireAuthorization(new AuthorizeAttribute { Roles = Roles.CuratorOrAdmin })
            .DisableAntiforgery();
    }

    private static async Task<IResult> ScoreWithPredictionSetAsync(int datasetId, HttpRequest request, OnlineScorer scorer, CancellationToken ct)
    {
        if (await scorer.PredictionSetIdAsync(datasetId, ct) is not { } setId)
        {
            return Problem(StatusCodes.Status404NotFound, "Not found",
                string.Create(CultureInfo.InvariantCulture, $"Dataset {datasetId} has no trained model set to score with."));
        }
        return await ScoreAsync(datasetId, setId, request, scorer, ct);
    }

    private static async Task<IResult> ScoreAsync(int datasetId, int setId, HttpRequest request, OnlineScorer scorer, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) return Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body may hold at most {MaxBodyBytes >> 20} MiB.");
        ScoreRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ScoreRequest>(request.Body, Json, ct);
        }
        catch (JsonException e)
        {
            return BadRequest($"The body is not valid JSON of the form {{\"sequences\":[{{\"id\":\"…\",\"events\":[\"5\",\"22\"]}}]}}: {e.Message}");
        }
        if (body?.Sequences is not { } sequences) return BadRequest("The body needs a \"sequences\" array.");
        if (sequences.Count == 0) return BadRequest("\"sequences\" is empty: send at least one sequence.");
        if (sequences.Count > MaxSequences) return BadRequest(string.Create(CultureInfo.InvariantCulture, $"At most {MaxSequences} sequences per request (got {sequences.Count})."));
        for (var i = 0; i < sequences.Count; i++)
        {
            var sequence = sequences[i];
            var name = sequence?.Id is { Length: > 0 } id ? $"Sequence '{id}'" : string.Create(CultureInfo.InvariantCulture, $"Sequence {i + 1}");
            if (sequence?.Events is not { } events) return BadRequest($"{name} has no \"events\" array.");
            if (events.Count == 0) return BadRequest($"{name} has no events.");
            if (events.Count > MaxEvents) return BadRequest(string.Create(CultureInfo.InvariantCulture, $"{name} has {events.Count} events; at most {MaxEvents}."));
            if (events.Any(e => string.IsNullOrWhiteSpace(e))) return BadRequest($"{name} has an empty event.");
        }

        OnlineModelSet? set;
        try
        {
            set = await scorer.LoadSetAsync(datasetId, setId, ct);
        }
        catch (InvalidDataException e)
        {
            return Problem(StatusCodes.Status409Conflict, "Model set not ready", e.Message);
        }
        if (set is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Not found",
                string.Create(CultureInfo.InvariantCulture, $"Dataset {datasetId} has no model set {setId}."));
        }
        var results = new List<OnlineScore>(sequences.Count);
        for (var i = 0; i < sequences.Count; i++)
        {
            var id = sequences[i].Id ?? (i + 1).ToString(CultureInfo.InvariantCulture);
            results.Add(await scorer.ScoreAsync(set, id, sequences[i].Events!, ct));
        }
        return Results.Ok(new { modelSetId = setId, results });
    }

    private static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "Malformed request", detail);

    private static IResult Problem(int status, string title, string detail) => Results.Problem(detail, statusCode: status, title: title);
}
