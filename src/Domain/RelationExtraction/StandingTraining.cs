using System.Text.Json;
using WebApp.Domain.Training;

namespace WebApp.Domain.RelationExtraction;

/// <summary>
/// A project's standing training settings: what automatic retraining trains with and where it runs. An admin owns
/// them (audited); until one sets them, the measured defaults of <see cref="RelationTrainingParameters"/> apply
/// (docs/benchmarks.md: Adam 3e-3, 30 epochs, patience 5 gave the best held-out AUC and gold F1 on the demo data).
/// </summary>
public static class StandingTraining
{
    /// <summary>The queues a standing setting may name: the retraining slot every worker keeps free, or the GPU workers.</summary>
    public static readonly IReadOnlyList<string> Queues = [JobQueues.Retrain, JobQueues.Gpu];

    /// <summary>The parameters automatic retraining uses: the standing ones, for this project, asking to be promoted.</summary>
    public static RelationTrainingParameters ParametersFor(RelationProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return (Parse(project.StandingTraining) ?? new RelationTrainingParameters(project.Id)) with
        {
            ProjectId = project.Id,
            ActivateWhenDone = true,
        };
    }

    public static string QueueFor(RelationProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.StandingTrainingQueue is { } queue && Queues.Contains(queue) ? queue : JobQueues.Retrain;
    }

    /// <summary>The stored form: every setting written out, so a later change of a default does not change a project silently.</summary>
    public static string Serialize(RelationTrainingParameters parameters) =>
        JsonSerializer.Serialize(parameters with { ActivateWhenDone = true }, JobJson.Options);

    public static RelationTrainingParameters? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonSerializer.Deserialize<RelationTrainingParameters>(json, JobJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static IEnumerable<string> Validate(RelationTrainingParameters parameters, string queue, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var problem in parameters.Validate()) yield return problem;
        if (!Queues.Contains(queue)) yield return $"The queue must be one of {string.Join(", ", Queues)}.";
        foreach (var problem in ModelPromotion.ValidateTolerance(tolerance)) yield return problem;
    }
}
