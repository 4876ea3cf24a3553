using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;
using static TorchSharp.torch;

namespace WebApp.Workers.Sequences.Novelty.Jobs;

/// <summary>One sequence scored by a set: where it went and why, the model that scored it, the score and the flag.</summary>
public sealed record SetScore(int? ClusterId, int ModelId, string Reason, NextEventScore Score, bool IsNovel);

/// <summary>
/// Scores sequences with a model set's Ready models in batches: each sequence is assigned by the set's clustering and
/// scored by its cluster's model; Others, and a cluster whose model is not Ready, go to the global model.
/// </summary>
public sealed class ModelSetScorer : IDisposable
{
    private readonly StoredClusteringAssigner _assigner;
    private readonly Dictionary<int, (NoveltyModel Model, NextEventScorer Scorer)> _byCluster;
    private readonly (NoveltyModel Model, NextEventScorer Scorer) _global;
    private readonly int _topG;

    private ModelSetScorer(StoredClusteringAssigner assigner, Dictionary<int, (NoveltyModel, NextEventScorer)> byCluster,
        (NoveltyModel, NextEventScorer) global, int topG)
    {
        _assigner = assigner;
        _byCluster = byCluster;
        _global = global;
        _topG = topG;
    }

    public NoveltyModelSet Set { get; private init; } = default!;

    /// <exception cref="InvalidDataException">The set has no Ready global model.</exception>
    public static async Task<ModelSetScorer> LoadAsync(AppDbContext db, int modelSetId, Device device, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var set = await db.NoveltyModelSets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == modelSetId, ct)
            ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Model set {modelSetId} does not exist."));
        var settings = JsonSerializer.Deserialize<NoveltyTrainingSettings>(set.Parameters, JobJson.Options) ?? NoveltyTrainingSettings.Defaults();
        var models = await (from model in db.NoveltyModels.AsNoTracking()
                            join file in db.NoveltyModelFiles on model.Id equals file.ModelId
                            where model.ModelSetId == modelSetId && model.Status == NoveltyModelStatus.Ready
                            select new { model, file.Content }).ToListAsync(ct);
        var global = models.FirstOrDefault(m => m.model.ClusterId is null)
            ?? throw new InvalidDataException("The model set's global model is not trained yet.");
        var assigner = await StoredClusteringAssigner.LoadAsync(db, set.ClusteringId, ct);
        var byCluster = models.Where(m => m.model.ClusterId is not null)
            .ToDictionary(m => m.model.ClusterId!.Value, m => (m.model, new NextEventScorer(NextEventWeights.FromBytes(m.Content), device)));
        return new ModelSetScorer(assigner, byCluster, (global.model, new NextEventScorer(NextEventWeights.FromBytes(global.Content), device)),
            settings.TopG)
        { Set = set };
    }

    public NoveltyModel GlobalModel => _global.Model;

    /// <summary>Scores every sequence under its cluster's model.</summary>
    public SetScore[] Score(IReadOnlyList<int[]> sequences, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var choices = sequences.Select(s => _assigner.Assign(s)).ToArray();
        var results = new SetScore[sequences.Count];
        foreach (var group in Enumerable.Range(0, sequences.Count).GroupBy(i => choices[i].ClusterId is { } c && _byCluster.ContainsKey(c) ? c : (int?)null))
        {
            var (model, scorer) = group.Key is { } clusterId ? _byCluster[clusterId] : _global;
            var members = group.ToList();
            var scores = scorer.Score([.. members.Select(i => sequences[i])], _topG, ct);
            for (var m = 0; m < members.Count; m++)
            {
                var i = members[m];
                var reason = choices[i].ClusterId is not null && group.Key is null
                    ? choices[i].Reason + "; its cluster has no trained model, so the global model scored it"
                    : choices[i].Reason;
                results[i] = new SetScore(group.Key, model.Id, reason, scores[m], scores[m].Perplexity > (model.Threshold ?? double.PositiveInfinity));
            }
        }
        return results;
    }

    /// <summary>Every sequence under the global model alone (the baseline).</summary>
    public NextEventScore[] ScoreGlobally(IReadOnlyList<int[]> sequences, CancellationToken ct) => _global.Scorer.Score(sequences, _topG, ct);

    public double GlobalThreshold => _global.Model.Threshold ?? double.PositiveInfinity;

    public void Dispose()
    {
        foreach (var (_, scorer) in _byCluster.Values) scorer.Dispose();
        _global.Scorer.Dispose();
    }
}
