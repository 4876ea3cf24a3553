using WebApp.Domain.Training;
using WebApp.Workers.Training;
using static TorchSharp.torch;

namespace WebApp.Workers.Tests;

public class DemoTrainerTests
{
    private static Task<DemoTrainingResult> TrainAsync(int epochs, int seed, List<EpochProgress>? progress = null) =>
        DemoTrainer.TrainAsync(new DemoTrainingParameters(epochs, 32, 0.05, seed), CPU, p =>
        {
            progress?.Add(p);
            return Task.CompletedTask;
        }, CancellationToken.None);

    [Fact]
    public async Task It_learns_the_spirals_and_reports_every_epoch()
    {
        var progress = new List<EpochProgress>();

        var result = await TrainAsync(150, 7, progress);

        Assert.Equal(Enumerable.Range(1, 150), progress.Select(p => p.Epoch));
        Assert.True(progress[^1].TrainLoss < progress[0].TrainLoss / 5, $"loss {progress[0].TrainLoss} → {progress[^1].TrainLoss}");
        Assert.True(result.HeldOutAccuracy > 0.9, $"held-out accuracy {result.HeldOutAccuracy}");
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_model()
    {
        var first = await TrainAsync(5, 11);
        var second = await TrainAsync(5, 11);
        var other = await TrainAsync(5, 12);

        Assert.Equal(first.TrainLoss, second.TrainLoss);
        Assert.NotEqual(first.TrainLoss, other.TrainLoss);
    }

    [Fact]
    public async Task Cancellation_stops_training_between_epochs()
    {
        using var cancel = new CancellationTokenSource();
        var epochs = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DemoTrainer.TrainAsync(new DemoTrainingParameters(1000), CPU, _ =>
            {
                if (++epochs == 3) cancel.Cancel();
                return Task.CompletedTask;
            }, cancel.Token));
        Assert.Equal(3, epochs);
    }
}
