namespace WebApp.Workers.RelationExtraction;

/// <summary>Precision, recall and F1 of one relation; <see cref="Support"/> gold items, <see cref="Predicted"/> predictions.</summary>
public sealed record RelationPrf(string Relation, int Index, double Precision, double Recall, double F1, int Support, int Predicted);
