using WebApp.Workers.RelationExtraction;

namespace WebApp.Workers.Tests.RelationExtraction;

public class PcnnEncodingTests
{
    [Fact]
    public void Positions_are_distances_to_the_nearest_span_token_shifted_past_the_padding_index()
    {
        // span [2, 4) in 6 tokens: distances −2 −1 0 0 1 2; max distance 2 → +3 → 1 2 3 3 4 5
        Assert.Equal([1, 2, 3, 3, 4, 5], PcnnEncoding.RelativePositions(6, 2, 4, 2));
        // clipped to ±1: −1 −1 0 0 1 1 → +2 → 1 1 2 2 3 3
        Assert.Equal([1, 1, 2, 2, 3, 3], PcnnEncoding.RelativePositions(6, 2, 4, 1));
        Assert.Equal(6, PcnnEncoding.PositionCount(2)); // padding + 5 distances
    }

    [Fact]
    public void A_long_sentence_is_cut_to_a_window_around_both_entities()
    {
        // 20 tokens, entities [8, 9) and [11, 12), max 6: span 8..12 (4 tokens), 2 to spare → start 7
        Assert.Equal(7, PcnnEncoding.WindowStart(20, 8, 9, 11, 12, 6));
        Assert.Equal(0, PcnnEncoding.WindowStart(5, 0, 1, 3, 4, 6)); // short: untouched
        Assert.Equal(14, PcnnEncoding.WindowStart(20, 18, 19, 16, 17, 6)); // near the end: clamped
        Assert.Equal(2, PcnnEncoding.WindowStart(20, 2, 3, 15, 16, 6)); // too far apart: starts at the first entity
    }

    [Fact]
    public void Encoding_maps_words_positions_and_segments_after_the_cut()
    {
        var tokens = Enumerable.Range(0, 20).Select(i => $"w{i}").ToArray();
        var vocabulary = new Vocabulary(["w8", "w11"]);
        var example = new RelationExample(tokens, 11, 12, 8, 9, 1, "a|b");

        var encoded = PcnnEncoding.Encode(example, vocabulary, 6, 3);

        Assert.Equal(7, encoded.Offset);
        Assert.Equal([Vocabulary.Unknown, 2, Vocabulary.Unknown, Vocabulary.Unknown, 3, Vocabulary.Unknown], encoded.Words);
        Assert.Equal([1, 1, 2, 2, 2, 3], encoded.Segments.Select(s => (int)s)); // tail (w8) first, then head (w11)
        // head at window index 4: distances −4 (clipped to −3) −3 −2 −1 0 1 → +4
        Assert.Equal([1, 1, 2, 3, 4, 5], encoded.HeadPositions);
    }
}
