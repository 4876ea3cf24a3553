namespace WebApp.Domain.RelationExtraction.ActiveLearning;

// The results of a learning-curve simulation, as the worker stores them (JSON in the run's metrics) and the web reads them.

/// <summary>One point of a curve: after <see cref="Labels"/> expert labels, the test scores.</summary>
public sealed record CurvePoint(int Round, int Labels, double F1, double Auc, double Seconds);

/// <summary>The curve of one strategy with one seed; point 0 is the distant-supervision model (no expert label).</summary>
public sealed record LearningCurve(string Strategy, int Seed, IReadOnlyList<CurvePoint> Points);

/// <summary>Over the seeds at one number of labels: mean, min, max and standard deviation (n − 1) of F1 and AUC.</summary>
public sealed record CurveSummaryPoint(int Labels, double MeanF1, double MinF1, double MaxF1, double SdF1,
    double MeanAuc, double MinAuc, double MaxAuc, double SdAuc);

/// <summary>
/// A strategy's mean curve, and the labels (linear interpolation on the mean curve) it needs to reach the mean F1
/// and AUC that random reaches with its full budget; null when it does not within the budget.
/// </summary>
public sealed record StrategySummary(string Strategy, IReadOnlyList<CurveSummaryPoint> Points,
    double? LabelsToRandomF1, double? LabelsToRandomAuc);

/// <summary>
/// The headline: random's final mean F1 with its <see cref="RandomBudget"/> labels, the strategy that reaches it
/// with the fewest labels, how many, and that as a fraction of random's budget (null when none reaches it).
/// </summary>
public sealed record LearningCurveHeadline(int RandomBudget, double RandomFinalF1, double RandomFinalAuc,
    string? BestStrategy, double? BestLabels, double? Ratio, string? BestStrategyByAuc, double? BestLabelsByAuc, double? RatioByAuc);

/// <summary>What the web reads of a simulation's result (the run's metrics JSON); the worker writes more.</summary>
public sealed record LearningCurveReport(
    int PoolCandidates,
    int TrainExamples,
    int TestExamples,
    IReadOnlyList<LearningCurve> Curves,
    IReadOnlyList<StrategySummary> Summary,
    LearningCurveHeadline Headline,
    double Seconds)
{
    /// <summary>The report in a run's metrics; null when there is none or it is not a simulation's result.</summary>
    public static LearningCurveReport? Parse(string? metrics)
    {
        if (string.IsNullOrWhiteSpace(metrics)) return null;
        try
        {
            var report = System.Text.Json.JsonSerializer.Deserialize<LearningCurveReport>(metrics, WebApp.Domain.Training.JobJson.Options);
            return report is { Summary.Count: > 0, Headline: not null } ? report : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
