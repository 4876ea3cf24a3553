using WebApp.Domain.Sequences.Novelty;

namespace WebApp.Workers.Sequences.Novelty.Evaluation;

/// <summary>Detection quality of one method on one view of the test sets (all sessions, or each distinct sequence once).</summary>
/// <param name="F1">At the method's thresholds (per cluster for clustered models) for the target false-positive rate.</param>
public sealed record DetectionFigures(double RocAuc, double PrAuc, double Precision, double Recall, double F1, double FalsePositiveRate,
    int TruePositives, int FalsePositives, int Normal, int Novel);

/// <summary>
/// One cluster of a clustered method: its sizes, whether it has a model of its own (else the global model scores it),
/// the threshold, training time and its detection figures on the test sequences assigned to it (NaN where it got
/// only one kind, or none).
/// </summary>
public sealed record ClusterFigures(string Name, bool OwnModel, int TrainSequences, int ValidationSequences, double Threshold,
    double? ValidationPerplexity, double TrainingSeconds, string? Hyperparameters, int TestNormal, int TestNovel, double RocAuc, double PrAuc, double F1);

/// <summary>One row of the comparison table.</summary>
/// <param name="Score">What ranks the sequences (e.g. "perplexity under the cluster's LSTM").</param>
/// <param name="TrainingSeconds">Next-event model training of this method's own models (the global model's time is in the global row).</param>
public sealed record MethodFigures(string Method, string Name, string Score, DetectionFigures All, DetectionFigures Deduplicated,
    IReadOnlyList<ClusterFigures> Clusters, double ClusteringSeconds, double TrainingSeconds, IReadOnlyList<RocPoint> RocCurve);

/// <summary>The sizes the figures rest on.</summary>
public sealed record EvaluationDataFigures(int EventTypes, int TrainSessions, int ModelTrainSessions, int ValidationSessions,
    int TestNormal, int TestNormalDistinct, int TestNormalSeenInTraining, int TestNovel, int TestNovelDistinct);

public sealed record SequenceEvaluationResult(EvaluationDataFigures Data, SequenceEvaluationSettings Settings, IReadOnlyList<MethodFigures> Methods,
    double Seconds, string Device);
