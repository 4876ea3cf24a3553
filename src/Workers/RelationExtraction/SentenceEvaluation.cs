namespace WebApp.Workers.RelationExtraction;

/// <summary>Sentence-level scores against gold labels: micro P/R/F1 over the relations other than NA, and per relation.</summary>
public sealed record SentenceEvaluation(
    int Sentences,
    double Accuracy,
    double MicroPrecision,
    double MicroRecall,
    double MicroF1,
    IReadOnlyList<RelationPrf> PerRelation);
