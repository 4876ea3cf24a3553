using Hangfire;

namespace WebApp.Domain.RelationExtraction.ActiveLearning;

/// <summary>
/// Simulates active learning on a project whose training candidates have gold labels: a simulated expert answers
/// from gold, and every strategy's learning curve (held-out AUC and sentence-level F1 after each batch) is written
/// as JSON into the run's metrics.
/// </summary>
public interface ILearningCurveJob
{
    // A simulation is long and deterministic: a failure would repeat, so none is retried.
    [AutomaticRetry(Attempts = 0)]
    Task RunAsync(Guid jobRunId, CancellationToken cancellationToken);
}

/// <summary>
/// What a learning-curve simulation runs. <see cref="Strategies"/> are names from <see cref="QueryStrategies.Names"/>
/// (random is always added as the baseline); seeds are <see cref="Seed"/>, <see cref="Seed"/> + 1, ….
/// <see cref="TrainBatchSize"/> is the model's bags per training batch (small pools learn more with smaller batches).
/// <see cref="MaxPool"/> caps the training candidates (a seeded sample) to keep the run short; null = all.
/// <see cref="WarmStart"/> starts each round from the previous round's weights, as a warm-started retraining does.
/// </summary>
public sealed record LearningCurveParameters(
    int ProjectId,
    IReadOnlyList<string>? Strategies = null,
    int Seeds = 3,
    int Rounds = 5,
    int BatchSize = 100,
    int Epochs = 4,
    double ExpertLabelWeight = 2.0,
    int Seed = 1,
    int? MaxPool = null,
    double? NaSamplingRatio = null,
    int TrainBatchSize = 160,
    bool WarmStart = false)
{
    public static readonly IReadOnlyList<string> DefaultStrategies = ["random", "least-confidence", "margin", "entropy", "diverse"];

    public IReadOnlyList<string> EffectiveStrategies =>
        (Strategies is { Count: > 0 } s ? s : DefaultStrategies).Prepend("random").Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public IEnumerable<string> Validate()
    {
        foreach (var name in EffectiveStrategies.Where(n => !QueryStrategies.Names.ContainsKey(n)))
            yield return $"Unknown strategy '{name}' (known: {string.Join(", ", QueryStrategies.Names.Keys)}).";
        if (Seeds is < 1 or > 100) yield return "Seeds must be between 1 and 100.";
        if (Rounds is < 1 or > 1000) yield return "Rounds must be between 1 and 1000.";
        if (BatchSize is < 1 or > 100_000) yield return "Batch size must be between 1 and 100000 labels.";
        if (Epochs is < 1 or > 1000) yield return "Epochs must be between 1 and 1000.";
        if (ExpertLabelWeight is <= 0 or > 100) yield return "Expert label weight must be greater than 0 and at most 100.";
        if (MaxPool is < 1) yield return "The pool cap must be at least 1.";
        if (NaSamplingRatio is < 0 or > 1000) yield return "NA sampling ratio must be between 0 and 1000.";
        if (TrainBatchSize is < 1 or > 10_000) yield return "Training batch size must be between 1 and 10000 bags.";
    }
}
