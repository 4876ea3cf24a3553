using WebApp.Domain.RelationExtraction.ActiveLearning;

namespace WebApp.UnitTests.ActiveLearning;

public class QueryStrategiesTests
{
    // Hand-worked scores (3 relations):
    // id  probabilities        1 − max p   margin   entropy −Σ p ln p
    //  1  0.50 0.30 0.20       0.50        0.20     1.0297
    //  2  0.90 0.05 0.05       0.10        0.85     0.3944
    //  3  0.40 0.40 0.20       0.60        0        1.0549
    //  4  0.60 0.35 0.05       0.40        0.25     0.8237
    //  5  0.34 0.33 0.33       0.66        0.01     1.0985
    //  6  0.45 0.45 0.10       0.55        0        0.9489
    // Given in a scrambled order: the result must not depend on it.
    private static readonly PoolItem[] Pool =
    [
        new(4, [0.60f, 0.35f, 0.05f]),
        new(2, [0.90f, 0.05f, 0.05f]),
        new(6, [0.45f, 0.45f, 0.10f]),
        new(1, [0.50f, 0.30f, 0.20f]),
        new(5, [0.34f, 0.33f, 0.33f]),
        new(3, [0.40f, 0.40f, 0.20f]),
    ];

    [Theory]
    [InlineData(QueryStrategy.LeastConfidence, new long[] { 5, 3, 6, 1, 4, 2 })]
    [InlineData(QueryStrategy.Margin, new long[] { 3, 6, 5, 1, 4, 2 })] // 3 and 6 tie at margin 0: smaller id first
    [InlineData(QueryStrategy.Entropy, new long[] { 5, 3, 1, 6, 4, 2 })] // unlike least confidence, 1 before 6
    public void Uncertainty_strategies_rank_as_worked_by_hand(QueryStrategy strategy, long[] expected)
    {
        Assert.Equal(expected, QueryStrategies.Select(Pool, strategy, 6, seed: 0));
        Assert.Equal(expected[..2], QueryStrategies.Select(Pool, strategy, 2, seed: 0));
    }

    [Fact]
    public void Scores_match_the_formulas()
    {
        Assert.Equal(0.5, QueryStrategies.LeastConfidence([0.5f, 0.3f, 0.2f]), 6);
        Assert.Equal(0.2, QueryStrategies.Margin([0.3f, 0.5f, 0.2f]), 6);
        Assert.Equal(0, QueryStrategies.Margin([0.45f, 0.1f, 0.45f]), 6);
        Assert.Equal(1, QueryStrategies.Margin([1f]), 6);
        Assert.Equal(1.0296530, QueryStrategies.Entropy([0.5f, 0.3f, 0.2f]), 5);
        Assert.Equal(0, QueryStrategies.Entropy([1f, 0f]), 6);
        Assert.Equal(Math.Log(4), QueryStrategies.Entropy([0.25f, 0.25f, 0.25f, 0.25f]), 6);
    }

    [Fact]
    public void Ties_go_to_the_smaller_id()
    {
        PoolItem[] pool = [new(9, [0.5f, 0.5f]), new(7, [0.5f, 0.5f]), new(8, [0.5f, 0.5f])];
        foreach (var strategy in new[] { QueryStrategy.LeastConfidence, QueryStrategy.Margin, QueryStrategy.Entropy })
            Assert.Equal([7, 8, 9], QueryStrategies.Select(pool, strategy, 3, seed: 0));
    }

    [Fact]
    public void Excluded_items_are_never_chosen()
    {
        var exclude = new HashSet<long> { 3, 5 };
        Assert.Equal([6, 1, 4, 2], QueryStrategies.Select(Pool, exclude, QueryStrategy.Margin, 10, seed: 0));
        foreach (var strategy in Enum.GetValues<QueryStrategy>().Where(s => s != QueryStrategy.DiverseMargin))
            Assert.DoesNotContain(QueryStrategies.Select(Pool, exclude, strategy, 10, seed: 1), exclude.Contains);
    }

    [Fact]
    public void Random_is_a_seeded_sample_independent_of_the_pool_order()
    {
        var pool = Enumerable.Range(1, 50).Select(i => new PoolItem(i, [0.5f, 0.5f])).ToArray();
        var first = QueryStrategies.Select(pool, QueryStrategy.Random, 10, seed: 7);
        Assert.Equal(10, first.Distinct().Count());
        Assert.All(first, id => Assert.InRange(id, 1, 50));
        Assert.Equal(first, QueryStrategies.Select(pool.Reverse().ToArray(), QueryStrategy.Random, 10, seed: 7));
        Assert.NotEqual(first, QueryStrategies.Select(pool, QueryStrategy.Random, 10, seed: 8));
        Assert.Equal(50, QueryStrategies.Select(pool, QueryStrategy.Random, 100, seed: 7).Distinct().Count());
    }

    [Fact]
    public void Diverse_margin_spreads_the_batch_over_the_most_uncertain_items()
    {
        // Margin grows with the id (0.01 · id). With batch 3 the candidates are the 5 × 3 = 15 smallest margins;
        // ids 16–17 lie far away but are too certain to be candidates. Representations on a line:
        // id 1 at 0, ids 2–14 at 0.1 … 1.3, id 15 at 5.
        // k-center greedy: 1 (smallest margin); then the farthest from {1}: 15 (distance 5); then the farthest
        // from {1, 15}: id 14 at 1.3 (distance min(1.3, 3.7) = 1.3). Plain margin would take 1, 2, 3.
        var pool = Enumerable.Range(1, 17).Select(id =>
        {
            var m = 0.01f * id;
            float x = id switch { 1 => 0, <= 14 => 0.1f * (id - 1), 15 => 5, _ => 100 };
            return new PoolItem(id, [0.5f + m / 2, 0.5f - m / 2], [x, id > 15 ? 100 : 0]);
        }).ToArray();

        Assert.Equal([1, 15, 14], QueryStrategies.Select(pool, QueryStrategy.DiverseMargin, 3, seed: 0));
        Assert.Equal([1, 2, 3], QueryStrategies.Select(pool, QueryStrategy.Margin, 3, seed: 0));
        Assert.Equal([1, 15, 14], QueryStrategies.Select(pool.Reverse().ToArray(), QueryStrategy.DiverseMargin, 3, seed: 0));
    }

    [Fact]
    public void Diverse_margin_breaks_distance_ties_by_margin_then_id()
    {
        // 1 is chosen first (smallest margin); 2 and 3 are both at distance 1 from it: 2 has the smaller margin.
        PoolItem[] pool =
        [
            new(3, [0.6f, 0.4f], [0, 1]),
            new(2, [0.55f, 0.45f], [1, 0]),
            new(1, [0.5f, 0.5f], [0, 0]),
        ];
        Assert.Equal([1, 2, 3], QueryStrategies.Select(pool, QueryStrategy.DiverseMargin, 3, seed: 0));
    }

    [Fact]
    public void Diverse_margin_needs_representations()
    {
        Assert.Throws<ArgumentException>(() => QueryStrategies.Select(Pool, QueryStrategy.DiverseMargin, 2, seed: 0));
    }

    [Fact]
    public void Empty_pools_and_batches_choose_nothing()
    {
        foreach (var strategy in Enum.GetValues<QueryStrategy>())
        {
            Assert.Empty(QueryStrategies.Select([], strategy, 5, seed: 0));
            Assert.Empty(QueryStrategies.Select(Pool, strategy, 0, seed: 0));
        }
    }

    [Fact]
    public void Every_strategy_has_a_name_and_parameters_validate_them()
    {
        foreach (var strategy in Enum.GetValues<QueryStrategy>())
            Assert.Equal(strategy, QueryStrategies.Names[QueryStrategies.Name(strategy)]);
        Assert.Empty(new LearningCurveParameters(1).Validate());
        Assert.Equal("random", new LearningCurveParameters(1, ["margin"]).EffectiveStrategies[0]);
        Assert.Contains(new LearningCurveParameters(1, ["bald"]).Validate(), p => p.Contains("bald", StringComparison.Ordinal));
    }
}
