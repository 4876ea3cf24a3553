namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// Where training stands: epoch (1-based) of at most <see cref="Epochs"/>, step (1-based) of
/// <see cref="Steps"/> in this epoch, the mean loss of this epoch so far and the latest dev AUC (null before
/// the first evaluation or without a dev set). <see cref="EpochCompleted"/> is true for the report after an
/// epoch's dev evaluation.
/// </summary>
public sealed record PcnnProgress(int Epoch, int Epochs, int Step, int Steps, double Loss, double? DevAuc, bool EpochCompleted);
