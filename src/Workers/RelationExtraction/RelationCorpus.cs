namespace WebApp.Workers.RelationExtraction;

/// <summary>A labelled data set: relation names (index 0 is "NA") and the train, dev and test examples.</summary>
public sealed record RelationCorpus(
    IReadOnlyList<string> Relations,
    IReadOnlyList<RelationExample> Train,
    IReadOnlyList<RelationExample> Dev,
    IReadOnlyList<RelationExample> Test)
{
    /// <summary>The name relation index 0 always has.</summary>
    public const string NoRelation = "NA";

    /// <summary>Problems that make the corpus unusable for training (empty when none).</summary>
    public IEnumerable<string> Validate()
    {
        if (Relations.Count < 2) yield return "The corpus needs NA and at least one relation.";
        else if (Relations[0] != NoRelation) yield return $"Relation 0 must be '{NoRelation}', not '{Relations[0]}'.";
        if (Train.Count == 0) yield return "The training set is empty.";
        foreach (var (name, set) in new[] { ("train", Train), ("dev", Dev), ("test", Test) })
        {
            for (var i = 0; i < set.Count; i++)
            {
                var problem = Check(set[i], Relations.Count);
                if (problem is not null)
                {
                    yield return $"{name} example {i} (id {set[i].Id}): {problem}";
                    break;
                }
            }
        }
    }

    internal static string? Check(RelationExample e, int relationCount)
    {
        if (e.Tokens.Count == 0) return "no tokens";
        if (e.HeadStart < 0 || e.HeadEnd <= e.HeadStart || e.HeadEnd > e.Tokens.Count)
            return $"head span [{e.HeadStart}, {e.HeadEnd}) is not inside the {e.Tokens.Count} tokens";
        if (e.TailStart < 0 || e.TailEnd <= e.TailStart || e.TailEnd > e.Tokens.Count)
            return $"tail span [{e.TailStart}, {e.TailEnd}) is not inside the {e.Tokens.Count} tokens";
        if (e.Label < 0 || e.Label >= relationCount) return $"label {e.Label} is not a relation index (0..{relationCount - 1})";
        if (!(e.Weight >= 0) || float.IsInfinity(e.Weight)) return $"weight {e.Weight} is not a finite non-negative number";
        return null;
    }
}
