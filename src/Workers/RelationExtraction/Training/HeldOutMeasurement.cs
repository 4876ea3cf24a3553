using WebApp.Domain.RelationExtraction;

namespace WebApp.Workers.RelationExtraction.Training;

/// <summary>A model on a project's held-out data: what the promotion rule and the expert-value measurement compare.</summary>
public static class HeldOutMeasurement
{
    /// <summary>Gold sentence F1 (where the test split has gold) and held-out AUC of a model on the data's test split.</summary>
    public static HeldOutMeasure Of(PcnnScorer scorer, RelationTrainingData data)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(data);
        var relations = data.Corpus.Relations;
        double? goldF1 = null;
        if (data.TestGold.Count > 0)
        {
            var examples = data.AllCandidates.Where(c => data.TestGold.ContainsKey(c.Id)).ToList();
            var probabilities = scorer.ScoreSentences(examples);
            goldF1 = RelationMetrics.Sentences(probabilities.Select(ArgMax).ToList(), examples.Select(e => data.TestGold[e.Id]).ToList(), relations).MicroF1;
        }
        var heldOut = RelationMetrics.HeldOut(scorer.ScoreBags(data.Corpus.Test), RelationMetrics.GoldLabels(data.Corpus.Test), relations);
        return new HeldOutMeasure(goldF1, heldOut.Auc);
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
