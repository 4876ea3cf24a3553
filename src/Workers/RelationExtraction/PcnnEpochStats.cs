namespace WebApp.Workers.RelationExtraction;

/// <summary>One epoch: mean training loss per bag, dev AUC (null without a dev set) and seconds (training + dev scoring).</summary>
public sealed record PcnnEpochStats(int Epoch, double MeanLoss, double? DevAuc, double Seconds);
