using TorchSharp;
using WebApp.Domain.Training;
using static TorchSharp.torch;

namespace WebApp.Workers.Training;

public sealed record EpochProgress(int Epoch, int Epochs, double TrainLoss, double HeldOutAccuracy);

public sealed record DemoTrainingResult(double TrainLoss, double TrainAccuracy, double HeldOutAccuracy, int Epochs, double Seconds);

/// <summary>
/// Trains <see cref="TinyClassifier"/> on two interleaved spirals (a task a linear model cannot solve),
/// with minibatches, each inside its own dispose scope. Deterministic for a given seed.
/// </summary>
public static class DemoTrainer
{
    private const int Points = 2048;
    private const int BatchSize = 64;

    public static async Task<DemoTrainingResult> TrainAsync(
        DemoTrainingParameters parameters, Device device,
        Func<EpochProgress, Task> onEpoch, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        random.manual_seed(parameters.Seed);
        var (features, labels) = TwoSpirals(Points, parameters.Seed);
        var trainCount = Points * 4 / 5;

        using var trainX = tensor(features[..(trainCount * 2)], [trainCount, 2]).to(device);
        using var trainY = tensor(labels[..trainCount]).to(device);
        using var testX = tensor(features[(trainCount * 2)..], [Points - trainCount, 2]).to(device);
        using var testY = tensor(labels[trainCount..]).to(device);

        using var model = new TinyClassifier(2, parameters.HiddenUnits, 2);
        model.to(device);
        using var optimizer = optim.Adam(model.parameters(), parameters.LearningRate);
        var shuffle = new Generator((ulong)parameters.Seed);

        double epochLoss = 0;
        for (var epoch = 1; epoch <= parameters.Epochs; epoch++)
        {
            ct.ThrowIfCancellationRequested();
            model.train();
            epochLoss = 0;
            using (var order = randperm(trainCount, generator: shuffle))
            {
                for (var start = 0; start < trainCount; start += BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var index = order.narrow(0, start, Math.Min(BatchSize, trainCount - start)).to(device);
                    var logits = model.forward(trainX.index_select(0, index));
                    var loss = nn.functional.cross_entropy(logits, trainY.index_select(0, index));
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    epochLoss += loss.item<float>() * index.shape[0];
                }
            }
            epochLoss /= trainCount;
            model.eval();
            double heldOut;
            using (no_grad()) heldOut = Accuracy(model, testX, testY);
            await onEpoch(new EpochProgress(epoch, parameters.Epochs, epochLoss, heldOut));
        }

        model.eval();
        using var noGrad = no_grad();
        return new DemoTrainingResult(epochLoss, Accuracy(model, trainX, trainY), Accuracy(model, testX, testY),
            parameters.Epochs, started.Elapsed.TotalSeconds);
    }

    private static double Accuracy(TinyClassifier model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        return model.forward(x).argmax(1).eq(y).to_type(ScalarType.Float32).mean().item<float>();
    }

    /// <summary>Points on two spirals with a little noise; label = which spiral.</summary>
    private static (float[] Features, long[] Labels) TwoSpirals(int count, int seed)
    {
        var rng = new Random(seed);
        var features = new float[count * 2];
        var labels = new long[count];
        for (var i = 0; i < count; i++)
        {
            var label = rng.Next(2);
            var t = 0.5 + 3.0 * rng.NextDouble();
            var angle = t * Math.PI + label * Math.PI;
            features[i * 2] = (float)(t * Math.Cos(angle) / 3.5 + rng.NextDouble() * 0.05);
            features[i * 2 + 1] = (float)(t * Math.Sin(angle) / 3.5 + rng.NextDouble() * 0.05);
            labels[i] = label;
        }
        return (features, labels);
    }
}
