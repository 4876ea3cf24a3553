using Hangfire;

namespace WebApp.Domain.RelationExtraction;

/// <summary>
/// Measures what the expert labels bought: with the project's standing settings, for each of <paramref name="Seeds"/>
/// seeds, one model trained with the expert labels and its label-free twin (same settings, same seed, the same data
/// less the expert labels), both measured on the same held-out sentences.
/// </summary>
public sealed record ExpertValueParameters(int ProjectId, int Seeds = ExpertValueParameters.DefaultSeeds)
{
    public const int DefaultSeeds = 3;

    public IEnumerable<string> Validate()
    {
        if (Seeds is < 2 or > 10) yield return "Seeds must be between 2 and 10: one seed shows no spread.";
    }
}

/// <summary>One seed's pair: the measure with the expert labels and without them.</summary>
public sealed record ExpertValuePair(int Seed, double WithLabels, double WithoutLabels)
{
    public double Gain => WithLabels - WithoutLabels;
}

/// <summary>
/// A finished measurement, stored as its run's metrics: the measure (gold F1 where the test split has gold, else
/// held-out AUC), each seed's pair, how many expert labels the training saw and how many expert minutes they took.
/// </summary>
public sealed record ExpertValueResult(string Measure, IReadOnlyList<ExpertValuePair> Pairs, int ExpertLabelsInTraining, double ExpertMinutes,
    RelationTrainingParameters Settings)
{
    public double MeanGain => Pairs.Count == 0 ? double.NaN : Pairs.Average(p => p.Gain);

    /// <summary>Sample standard deviation of the per-seed gains; null with fewer than two seeds.</summary>
    public double? SeedSpread
    {
        get
        {
            if (Pairs.Count < 2) return null;
            var mean = MeanGain;
            return Math.Sqrt(Pairs.Sum(p => (p.Gain - mean) * (p.Gain - mean)) / (Pairs.Count - 1));
        }
    }

    public double? GainPerMinute => ExpertMinutes > 0 ? MeanGain / ExpertMinutes : null;
    public double? SpreadPerMinute => ExpertMinutes > 0 && SeedSpread is { } s ? s / ExpertMinutes : null;
}

public interface IExpertValueJob
{
    [AutomaticRetry(Attempts = 1)]
    Task RunAsync(Guid jobRunId, CancellationToken cancellationToken);
}
