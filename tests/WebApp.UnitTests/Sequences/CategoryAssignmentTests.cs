using WebApp.Domain.Sequences;

namespace WebApp.UnitTests.Sequences;

public class CategoryAssignmentTests
{
    // One sequence's probabilities for topics of two models: k=2 (topics 1, 2) and k=3 (topics 3, 4, 5).
    private static readonly Dictionary<int, double> Mixture = new()
    {
        [1] = 0.7,
        [2] = 0.3,
        [3] = 0.1,
        [4] = 0.6,
        [5] = 0.3,
    };

    private static double P(int topic) => Mixture[topic];

    [Fact]
    public void Category_score_is_the_mean_of_its_topics_and_the_highest_wins()
    {
        // A = {1, 3}: (0.7 + 0.1) / 2 = 0.4; B = {2, 4, 5}: (0.3 + 0.6 + 0.3) / 3 = 0.4 → tie, first wins.
        // C = {4}: 0.6 beats both.
        var (category, score) = CategoryAssignment.Assign([[1, 3], [2, 4, 5], [4]], P, 0.3);
        Assert.Equal(2, category);
        Assert.Equal(0.6, score, 12);
    }

    [Fact]
    public void A_tie_goes_to_the_first_category()
    {
        var (category, score) = CategoryAssignment.Assign([[1, 3], [2, 4, 5]], P, 0.3);
        Assert.Equal(0, category);
        Assert.Equal(0.4, score, 12);
    }

    [Fact]
    public void Below_the_threshold_the_sequence_goes_to_others()
    {
        // {2, 3}: (0.3 + 0.1) / 2 = 0.2 < 0.3.
        var (category, score) = CategoryAssignment.Assign([[2, 3]], P, 0.3);
        Assert.Null(category);
        Assert.Equal(0.2, score, 12);
    }

    [Fact]
    public void Without_a_threshold_the_highest_always_wins()
    {
        var (category, _) = CategoryAssignment.Assign([[3], [2, 3]], P, 0);
        Assert.Equal(1, category);
    }

    [Fact]
    public void Categories_without_topics_never_win()
    {
        Assert.Equal((null, 0), CategoryAssignment.Assign([[]], P, 0));
        Assert.Equal(1, CategoryAssignment.Assign([[], [5]], P, 0).Category);
    }
}
