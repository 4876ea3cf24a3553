using System.Globalization;

namespace WebApp.Workers.Sequences.Novelty;

/// <summary>
/// How <see cref="NextEventTrainer"/> trains: the grid of embedding × hidden sizes (the one with the lowest
/// validation perplexity wins), LSTM layers, Adam's learning rate, sequences per batch, the epoch limit and the
/// early-stopping patience (epochs without a better validation perplexity), the seed.
/// </summary>
/// <remarks>
/// Defaults measured on HDFS (seq lstm, 2 cores): validation perplexity keeps creeping down long after it looks flat,
/// and those late epochs are what sharpen the model against novel sessions. With 40 epochs, patience 4 and hidden
/// sizes 32/64 ROC-AUC was 0.995 and F1 0.87 at the 1% threshold; with 100 epochs, patience 10 and hidden 64/128 it
/// was 0.9987 and 0.98, for 22 s of training on the whole grid.
/// </remarks>
public sealed record NextEventTrainingSettings
{
    public IReadOnlyList<int> EmbeddingSizes { get; init; } = [16, 32];
    public IReadOnlyList<int> HiddenSizes { get; init; } = [64, 128];
    public int Layers { get; init; } = 1;
    public double LearningRate { get; init; } = 0.01;
    public int BatchSize { get; init; } = 32;
    public int MaxEpochs { get; init; } = 100;
    public int Patience { get; init; } = 10;
    public double GradientClipNorm { get; init; } = 5;
    public int Seed { get; init; } = 1;

    /// <summary>Problems with the settings, each a sentence; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (EmbeddingSizes is null || EmbeddingSizes.Count == 0 || EmbeddingSizes.Any(s => s is < 1 or > 1024))
        {
            problems.Add("Embedding sizes: give at least one, each between 1 and 1024.");
        }
        if (HiddenSizes is null || HiddenSizes.Count == 0 || HiddenSizes.Any(s => s is < 1 or > 2048))
        {
            problems.Add("Hidden sizes: give at least one, each between 1 and 2048.");
        }
        if (Layers is < 1 or > 4) problems.Add(string.Create(CultureInfo.InvariantCulture, $"Layers must be between 1 and 4 (got {Layers})."));
        if (!(LearningRate > 0 && LearningRate <= 1)) problems.Add(string.Create(CultureInfo.InvariantCulture, $"The learning rate must be in (0, 1] (got {LearningRate})."));
        if (BatchSize is < 1 or > 65536) problems.Add(string.Create(CultureInfo.InvariantCulture, $"The batch size must be between 1 and 65536 (got {BatchSize})."));
        if (MaxEpochs is < 1 or > 10000) problems.Add(string.Create(CultureInfo.InvariantCulture, $"The epoch limit must be between 1 and 10000 (got {MaxEpochs})."));
        if (Patience < 0) problems.Add(string.Create(CultureInfo.InvariantCulture, $"The patience must not be negative (got {Patience}); 0 turns early stopping off."));
        if (!(GradientClipNorm > 0)) problems.Add("The gradient clipping norm must be positive.");
        return problems;
    }
}

/// <summary>After each epoch of one grid point: which point, the epoch, mean training loss (nats per prediction), validation perplexity.</summary>
public sealed record NextEventProgress(int GridIndex, int GridSize, int EmbeddingSize, int HiddenSize, int Epoch, int MaxEpochs,
    double TrainingLoss, double ValidationPerplexity);

/// <summary>One grid point's outcome: its best validation perplexity, the epoch it was reached, epochs run, seconds.</summary>
public sealed record NextEventGridPoint(int EmbeddingSize, int HiddenSize, double ValidationPerplexity, int BestEpoch, int Epochs, double Seconds);

/// <summary>
/// The chosen model: its weights, sizes, the epoch kept, its validation perplexity (over all validation predictions),
/// the perplexity of every validation sequence sorted ascending (thresholds are percentiles of these), the grid and
/// the time and device used.
/// </summary>
public sealed record NextEventTrainingResult(
    Domain.Sequences.Novelty.NextEventWeights Weights, int EmbeddingSize, int HiddenSize, int Layers, int Epochs,
    double ValidationPerplexity, float[] ValidationScores, IReadOnlyList<NextEventGridPoint> Grid, double Seconds, string Device);
