using WebApp.Domain.Sequences.Novelty;

namespace WebApp.UnitTests.Sequences.Novelty;

public class NoveltyMathTests
{
    [Fact]
    public void Perplexity_and_surprise_match_hand_computed_values()
    {
        // p = 1/2, 1/4, 1 → −log p = ln 2, 2 ln 2, 0; mean = ln 2; perplexity = 2.
        float[] logProbabilities = [MathF.Log(0.5f), MathF.Log(0.25f), 0f];
        Assert.Equal(2.0, NoveltyMath.Perplexity(logProbabilities), 5);
        var surprise = NoveltyMath.Surprise(logProbabilities);
        Assert.Equal(0.693147f, surprise[0], 5);
        Assert.Equal(1.386294f, surprise[1], 5);
        Assert.Equal(0f, surprise[2]);
    }

    [Fact]
    public void Perplexity_stays_finite_where_multiplying_probabilities_would_underflow()
    {
        // 2000 predictions of p = e^−50: the product (e^−100000) underflows to 0; the log-space mean gives e^50.
        var logProbabilities = Enumerable.Repeat(-50f, 2000).ToArray();
        Assert.Equal(Math.Exp(50), NoveltyMath.Perplexity(logProbabilities), 1e-6 * Math.Exp(50));
    }

    [Fact]
    public void Perplexity_of_nothing_is_refused()
    {
        Assert.Throws<ArgumentException>(() => NoveltyMath.Perplexity([]));
    }

    [Fact]
    public void Top_g_counts_the_tokens_strictly_more_likely()
    {
        float[] row = [-0.5f, -1f, -2f, -2f, -3f];
        Assert.False(NoveltyMath.IsOutsideTopG(row, actual: 0, g: 1));
        Assert.True(NoveltyMath.IsOutsideTopG(row, actual: 1, g: 1));
        Assert.False(NoveltyMath.IsOutsideTopG(row, actual: 1, g: 2));
        // Token 3 ties token 2: two tokens are more likely, so it is inside the top 3 but not the top 2.
        Assert.False(NoveltyMath.IsOutsideTopG(row, actual: 3, g: 3));
        Assert.True(NoveltyMath.IsOutsideTopG(row, actual: 3, g: 2));
        Assert.True(NoveltyMath.IsOutsideTopG(row, actual: 4, g: 4));
    }

    [Fact]
    public void Score_counts_deep_log_misses_by_hand_and_always_misses_an_unknown_event()
    {
        // Two dataset events: tokens 0, 1, End = 2, Unknown = 3, Start = 4. g = 1.
        var vocabulary = new NextEventVocabulary(2);
        float[] logProbabilities =
        [
            // prediction 1: event 0 is the most likely → hit
            L(0.7), L(0.1), L(0.1), L(0.05), L(0.05),
            // prediction 2: event 1 comes, End more likely → miss
            L(0.2), L(0.3), L(0.4), L(0.05), L(0.05),
            // prediction 3: Unknown comes; though Start and Unknown are the likeliest here, Unknown always misses
            L(0.01), L(0.01), L(0.02), L(0.48), L(0.48),
            // prediction 4: End comes, most likely among the candidates (Start's 0.5 does not count) → hit
            L(0.1), L(0.1), L(0.25), L(0.05), L(0.5),
        ];
        int[] targets = [0, 1, vocabulary.Unknown, vocabulary.End];
        var score = NoveltyMath.Score(logProbabilities, vocabulary, targets, g: 1);
        Assert.Equal(2, score.TopGMisses);
        Assert.Equal(new[] { -MathF.Log(0.7f), -MathF.Log(0.3f), -MathF.Log(0.48f), -MathF.Log(0.25f) }, score.Surprise, new FloatTolerance(1e-5f));
        Assert.Equal(Math.Exp(-(Math.Log(0.7) + Math.Log(0.3) + Math.Log(0.48) + Math.Log(0.25)) / 4), score.Perplexity, 5);
        Assert.Equal(1, NoveltyMath.Score(logProbabilities, vocabulary, targets, g: 2).TopGMisses);
    }

    [Theory]
    // 200 scores 1…200, r = 0.01: rank ⌈0.99·200⌉ = 198 → 198; two scores lie above.
    [InlineData(200, 0.01, 198)]
    // 485 scores, r = 0.01: rank ⌈480.15⌉ = 481; four (≤ 4.85) lie above.
    [InlineData(485, 0.01, 481)]
    // r = 0: the maximum, nothing above.
    [InlineData(10, 0.0, 10)]
    // r = 0.5 of 10: rank 5; five above.
    [InlineData(10, 0.5, 5)]
    // r = 0.05 of 10: rank ⌈9.5⌉ = 10, nothing above (⌊0.5⌋ = 0).
    [InlineData(10, 0.05, 10)]
    // r = 0.99 of 10: rank ⌈0.1⌉ = 1, the minimum.
    [InlineData(10, 0.99, 1)]
    public void Threshold_is_the_nearest_rank_percentile_and_flags_at_most_the_target_share(int count, double rate, float expected)
    {
        var sorted = Enumerable.Range(1, count).Select(i => (float)i).ToArray();
        var threshold = NoveltyMath.Threshold(sorted, rate);
        Assert.Equal(expected, threshold);
        var flagged = NoveltyMath.FalsePositiveRate(sorted, threshold);
        Assert.True(flagged <= rate + 1e-12, $"{flagged} flagged for a target of {rate}");
        Assert.Equal((double)sorted.Count(s => s > threshold) / count, flagged, 12);
    }

    [Fact]
    public void Threshold_needs_scores_and_a_rate_below_one()
    {
        Assert.Throws<ArgumentException>(() => NoveltyMath.Threshold([], 0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoveltyMath.Threshold([1f], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoveltyMath.Threshold([1f], -0.1));
    }

    [Fact]
    public void False_positive_rate_counts_ties_at_the_threshold_as_normal()
    {
        float[] sorted = [1, 2, 2, 2, 3];
        Assert.Equal(0.2, NoveltyMath.FalsePositiveRate(sorted, 2), 12);
        Assert.Equal(0.0, NoveltyMath.FalsePositiveRate(sorted, 3), 12);
        Assert.Equal(1.0, NoveltyMath.FalsePositiveRate(sorted, 0.5), 12);
    }

    private static float L(double p) => (float)Math.Log(p);

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
