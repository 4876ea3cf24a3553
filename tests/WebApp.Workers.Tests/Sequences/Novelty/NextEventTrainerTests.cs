using WebApp.Domain.Sequences.Novelty;
using WebApp.Workers.Sequences.Novelty;
using static TorchSharp.torch;

namespace WebApp.Workers.Tests.Sequences.Novelty;

public class NextEventTrainerTests
{
    private static readonly NextEventTrainingSettings Small = new()
    {
        EmbeddingSizes = [8],
        HiddenSizes = [16],
        MaxEpochs = 60,
        Patience = 5,
        BatchSize = 4,
        LearningRate = 0.05,
    };

    [Fact]
    public void A_tiny_model_learns_a_deterministic_sequence()
    {
        int[] cycle = [0, 1, 2, 3, 0, 1, 2, 3, 2, 1];
        var sequences = Enumerable.Repeat(cycle, 8).ToList();
        var progress = new List<NextEventProgress>();
        var result = NextEventTrainer.Train(sequences, sequences.Take(2).ToList(), 4, Small, CPU, new SynchronousProgress(progress), CancellationToken.None);
        Assert.True(result.ValidationPerplexity < 1.05, $"validation perplexity {result.ValidationPerplexity}");
        var score = new LstmInference(result.Weights).Score(cycle);
        Assert.True(score.Perplexity < 1.05, $"perplexity {score.Perplexity}");
        Assert.Equal(0, score.TopGMisses);
        Assert.Equal(11, score.Surprise.Length);
        // The same sequence stopping early is surprising at its end.
        var stopped = new LstmInference(result.Weights).Score(cycle[..5]);
        Assert.True(stopped.Surprise[^1] > 2, $"surprise of the early end {stopped.Surprise[^1]}");
        Assert.Equal(2, result.ValidationScores.Length);
        Assert.All(result.ValidationScores, s => Assert.Equal(score.Perplexity, s, 1e-3));
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.Equal((0, 1, 8, 16), (p.GridIndex, p.GridSize, p.EmbeddingSize, p.HiddenSize)));
    }

    [Fact]
    public void The_grid_picks_the_lowest_validation_perplexity_and_training_is_deterministic_for_a_seed()
    {
        var random = new Random(3);
        var sequences = Enumerable.Range(0, 40).Select(_ =>
        {
            var start = random.Next(3);
            return Enumerable.Range(0, 6 + random.Next(4)).Select(i => (start + i) % 5).ToArray();
        }).ToList();
        var (train, validation) = NextEventTrainer.SplitValidation(sequences, 0.2, seed: 1);
        Assert.Equal((32, 8), (train.Count, validation.Count));
        var settings = Small with { EmbeddingSizes = [4, 8], HiddenSizes = [8], MaxEpochs = 8 };
        var first = NextEventTrainer.Train(train, validation, 5, settings, CPU, null, CancellationToken.None);
        var second = NextEventTrainer.Train(train, validation, 5, settings, CPU, null, CancellationToken.None);
        Assert.Equal(first.Weights.ToBytes(), second.Weights.ToBytes());
        Assert.Equal(2, first.Grid.Count);
        Assert.Equal(first.Grid.Min(g => g.ValidationPerplexity), first.ValidationPerplexity);
        Assert.Equal(first.Grid.MinBy(g => g.ValidationPerplexity)!.EmbeddingSize, first.EmbeddingSize);
        Assert.Equal(validation.Count, first.ValidationScores.Length);
        Assert.Equal(first.ValidationScores.Order(), first.ValidationScores);
    }

    [Fact]
    public void Length_batches_are_sorted_and_bounded_by_count_and_size()
    {
        int[][] sequences = [new int[9], new int[1], new int[4], new int[1], new int[2]];
        var byCount = NextEventTrainer.LengthBatches(sequences, batchSize: 2);
        Assert.Equal([[1, 3], [4, 2], [0]], byCount);
        // 3 tokens, at most 20 cells: (1+1)·2·3 = 12 fits, a third of length 2 would make 27; the length-9 one is alone.
        var bySize = NextEventTrainer.LengthBatches(sequences, batchSize: 10, tokens: 3, maxCells: 20);
        Assert.Equal([[1, 3], [4], [2], [0]], bySize);
    }

    [Fact]
    public void Training_stops_when_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        int[][] sequences = [[0, 1], [1, 0]];
        Assert.Throws<OperationCanceledException>(() => NextEventTrainer.Train(sequences, sequences, 2, Small, CPU, null, cancelled.Token));
    }

    [Fact]
    public void Settings_explain_what_is_wrong()
    {
        var problems = (new NextEventTrainingSettings() with { EmbeddingSizes = [], Layers = 0, LearningRate = 0, Patience = -1 }).Validate();
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Embedding sizes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Layers must be between 1 and 4 (got 0)", StringComparison.Ordinal));
        Assert.Empty(new NextEventTrainingSettings().Validate());
        var error = Assert.Throws<ArgumentException>(() => NextEventTrainer.Train([], [], 3, new NextEventTrainingSettings(), CPU, null, CancellationToken.None));
        Assert.Contains("There are no training sequences.", error.Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress(List<NextEventProgress> reports) : IProgress<NextEventProgress>
    {
        public void Report(NextEventProgress value) => reports.Add(value);
    }
}
