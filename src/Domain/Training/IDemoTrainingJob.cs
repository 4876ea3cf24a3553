using Hangfire;

namespace WebApp.Domain.Training;

/// <summary>Demo TorchSharp job: the web enqueues it by this interface, a worker implements it.</summary>
public interface IDemoTrainingJob
{
    // Hangfire reads job filters from the method it enqueued, which is this interface's, not the implementation's.
    [AutomaticRetry(Attempts = 2)]
    Task RunAsync(Guid jobRunId, CancellationToken cancellationToken);
}

public sealed record DemoTrainingParameters(int Epochs = 500, int HiddenUnits = 32, double LearningRate = 0.05, int Seed = 42)
{
    public IEnumerable<string> Validate()
    {
        if (Epochs is < 1 or > 100_000) yield return "Epochs must be between 1 and 100000.";
        if (HiddenUnits is < 1 or > 4096) yield return "Hidden units must be between 1 and 4096.";
        if (LearningRate is <= 0 or > 10) yield return "Learning rate must be greater than 0 and at most 10.";
    }
}
