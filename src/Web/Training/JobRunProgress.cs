using System.Globalization;
using System.Text.Json;
using WebApp.Domain.Training;

namespace WebApp.Web.Training;

/// <summary>What the training page shows of a run's progress: times and the latest development-set metric.</summary>
public static class JobRunProgress
{
    public static TimeSpan? Elapsed(JobRun run, DateTime nowUtc) =>
        run.StartedAt is { } started ? (run.FinishedAt ?? nowUtc) - started : null;

    /// <summary>Linear from the share done so far; null until the run has made progress, and once it has ended.</summary>
    public static TimeSpan? Remaining(JobRun run, DateTime nowUtc)
    {
        if (run.Status != JobRunStatus.Running || run.Progress is <= 0 or >= 1 || Elapsed(run, nowUtc) is not { } elapsed) return null;
        return TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - run.Progress) / run.Progress);
    }

    /// <summary>
    /// What one step counts, where a person counts it so; null where the step only drives the bar (batches over all
    /// epochs, percent of the bytes read, epochs over all grid points): those jobs say their progress in units in
    /// their message ("epoch 3/30 · step 120/400", "3.1/12 MB read", "grid point 2/6 · epoch 18/40").
    /// </summary>
    public static string? StepUnit(string kind) => kind switch
    {
        JobKinds.DemoTraining or JobKinds.RelationTraining or JobKinds.RelationImport or JobKinds.SequenceImport
            or JobKinds.NoveltyTraining or JobKinds.ExpertValue => null,
        JobKinds.LearningCurve => "training",
        JobKinds.SequenceClustering => "model",
        JobKinds.NoveltyScoring => "stage",
        _ => "step",
    };

    /// <summary>The progress in words: the counted step where it is one (see <see cref="StepUnit"/>), then the job's message.</summary>
    public static string Describe(JobRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var steps = run.TotalSteps > 0 && StepUnit(run.Kind) is { } unit
            ? string.Create(CultureInfo.InvariantCulture, $"{unit} {run.Step}/{run.TotalSteps}")
            : null;
        return string.Join(" · ", new[] { steps, run.Message }.Where(part => !string.IsNullOrEmpty(part)));
    }

    /// <summary>
    /// The latest development-set metric the trainer reported while training, else the one its final metrics hold
    /// (the first top-level number whose name says so), e.g. ("devAuc", 0.91); null when there is none.
    /// </summary>
    public static (string Name, double Value)? DevMetric(JobRun run)
    {
        if (run is { DevMetricName: { } name, DevMetricValue: { } value }) return (name, value);
        if (string.IsNullOrEmpty(run.Metrics)) return null;
        try
        {
            using var document = JsonDocument.Parse(run.Metrics);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Number && IsDevelopmentMetric(property.Name))
                    return (property.Name, property.Value.GetDouble());
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Counts such as "validationSequences" share the prefixes: only quality measures qualify.
    private static readonly string[] Prefixes = ["dev", "heldOut", "validation"];
    private static readonly string[] Measures = ["Auc", "Accuracy", "F1", "Perplexity", "Loss"];

    private static bool IsDevelopmentMetric(string name) =>
        Prefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
        && Measures.Any(m => name.EndsWith(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The state of the worker process a running run names, from its heartbeat; null when the run is not running or
    /// its worker wrote no heartbeat. A dead worker's run stays Running until Hangfire's lease on its job runs out
    /// and another worker takes it over: this is what lets the page say so meanwhile.
    /// </summary>
    public static WorkerHeartbeat? WorkerOf(JobRun run, IEnumerable<WorkerHeartbeat> heartbeats)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(heartbeats);
        if (run.Status != JobRunStatus.Running || run.WorkerHost is null) return null;
        return heartbeats.Where(h => run.WorkerHost == $"{h.HostName}/{h.ProcessId}").MaxBy(h => h.StartedAt);
    }

    public static string Format(TimeSpan? time) => time switch
    {
        null => "–",
        { TotalHours: >= 1 } t => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes:D2} min"),
        { TotalMinutes: >= 1 } t => string.Create(CultureInfo.InvariantCulture, $"{t.Minutes} min {t.Seconds:D2} s"),
        { } t => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F1} s"),
    };
}
