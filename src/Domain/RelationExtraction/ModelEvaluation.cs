namespace WebApp.Domain.RelationExtraction;

/// <summary>What <see cref="ModelVersion.Metrics"/> holds (camelCase JSON, see <c>JobJson.Options</c>).</summary>
public sealed record ModelEvaluation(
    HeldOutEvaluation HeldOut,
    SentenceEvaluation? Gold,
    IReadOnlyList<EpochRecord> History,
    int BestEpoch);

/// <summary>
/// The field's held-out evaluation on the test split: every (pair, relation ≠ NA) scored and ranked against
/// the knowledge base's facts for the test pairs.
/// </summary>
public sealed record HeldOutEvaluation(
    double Auc,
    double PrecisionAt100,
    double PrecisionAt200,
    double PrecisionAt300,
    double MaxF1,
    double MaxF1Threshold,
    int Facts,
    IReadOnlyList<PrPoint> Curve,
    IReadOnlyList<RelationScore> PerRelation);

public sealed record PrPoint(double Recall, double Precision);

public sealed record RelationScore(string Relation, double Precision, double Recall, double F1, int Support);

/// <summary>Sentence-level scores against gold labels on the test split (micro average without NA).</summary>
public sealed record SentenceEvaluation(
    double Precision,
    double Recall,
    double F1,
    int Sentences,
    IReadOnlyList<RelationScore> PerRelation);

public sealed record EpochRecord(int Epoch, double Loss, double DevAuc, double Seconds);
