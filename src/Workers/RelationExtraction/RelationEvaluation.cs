namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// Held-out evaluation, the OpenNRE way: every (pair, relation ≠ NA) ranked by score against the facts.
/// <see cref="Auc"/> is the trapezoidal area under the (recall, precision) points as sklearn's
/// <c>auc(recall, precision)</c> computes it (no point added at recall 0). P@N is null when fewer than N
/// predictions exist. <see cref="PerRelation"/> judges each bag by its top relation (NA included);
/// <see cref="BagMicroF1"/> is the micro F1 of that decision over the relations other than NA.
/// </summary>
public sealed record RelationEvaluation(
    int Bags,
    int Facts,
    int Predictions,
    double Auc,
    double? PrecisionAt100,
    double? PrecisionAt200,
    double? PrecisionAt300,
    double MeanPrecision,
    double MaxF1,
    double MaxF1Precision,
    double MaxF1Recall,
    double MaxF1Threshold,
    double BagMicroPrecision,
    double BagMicroRecall,
    double BagMicroF1,
    IReadOnlyList<RelationPrf> PerRelation,
    IReadOnlyList<PrPoint> PrCurve,
    SentenceEvaluation? Sentences = null);
