namespace WebApp.Domain.Sequences;

/// <summary>
/// The informed-clustering rule: a category's score for a sequence is the mean of the sequence's probabilities for
/// the category's topics; the highest score wins (the first category on a tie); below the threshold the sequence
/// goes to Others.
/// </summary>
public static class CategoryAssignment
{
    public const double DefaultOthersThreshold = 0.3;

    /// <summary>The winning category's position in <paramref name="categoryTopics"/> (null: Others) and its score.</summary>
    /// <param name="categoryTopics">Per category, its topic ids; categories without topics never win.</param>
    /// <param name="topicProbability">The sequence's probability for a topic id (from its model's mixture).</param>
    public static (int? Category, double Score) Assign(
        IReadOnlyList<IReadOnlyCollection<int>> categoryTopics, Func<int, double> topicProbability, double othersThreshold)
    {
        int? best = null;
        var bestScore = double.NegativeInfinity;
        for (var category = 0; category < categoryTopics.Count; category++)
        {
            var topics = categoryTopics[category];
            if (topics.Count == 0) continue;
            var score = topics.Sum(topicProbability) / topics.Count;
            if (score > bestScore)
            {
                best = category;
                bestScore = score;
            }
        }
        if (best is null) return (null, 0);
        return bestScore < othersThreshold ? (null, bestScore) : (best, bestScore);
    }
}
