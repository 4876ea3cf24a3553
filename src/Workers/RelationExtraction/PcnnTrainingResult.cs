namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// The outcome of training: the model of the best epoch by dev AUC (the last epoch without a dev set), the
/// per-epoch history, and speed (training sentences per second of pure training time, without dev scoring).
/// Disposing it disposes the model.
/// </summary>
public sealed class PcnnTrainingResult(
    PcnnTrainedModel model, IReadOnlyList<PcnnEpochStats> history, int bestEpoch, double? bestDevAuc,
    bool stoppedEarly, double trainSentencesPerSecond, double trainingSeconds, PcnnWarmStartOutcome? warmStart = null) : IDisposable
{
    public PcnnTrainedModel Model { get; } = model;
    public IReadOnlyList<PcnnEpochStats> History { get; } = history;
    public int BestEpoch { get; } = bestEpoch;
    public double? BestDevAuc { get; } = bestDevAuc;
    public bool StoppedEarly { get; } = stoppedEarly;
    public int EpochsRun => History.Count;
    public double TrainSentencesPerSecond { get; } = trainSentencesPerSecond;

    /// <summary>Wall-clock seconds of the whole call (vocabulary, training, dev scoring, checkpoints).</summary>
    public double TrainingSeconds { get; } = trainingSeconds;

    /// <summary>What became of a requested warm start; null when none was asked for.</summary>
    public PcnnWarmStartOutcome? WarmStart { get; } = warmStart;

    public void Dispose() => Model.Dispose();
}
