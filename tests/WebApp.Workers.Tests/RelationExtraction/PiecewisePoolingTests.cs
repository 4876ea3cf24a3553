using WebApp.Workers.RelationExtraction;
using static TorchSharp.torch;

namespace WebApp.Workers.Tests.RelationExtraction;

public class PiecewisePoolingTests
{
    [Fact]
    public void Each_segment_takes_its_own_maximum_then_ReLU_and_padding_never_wins()
    {
        // One sentence, 2 filters, 5 positions; segments 1 1 2 3 and one padding position (0).
        //   filter 0:  1  5 | 2 | 7 | (3)    → seg1 max 5 (pos 1), seg2 2 (pos 2), seg3 7 (pos 3)
        //   filter 1: -1 -2 | 4 |-3 | (6)    → seg1 −1 → ReLU 0, seg2 4 (pos 2), seg3 −3 → 0 (the padding 6 is excluded)
        using var conv = tensor(new float[] { 1, 5, 2, 7, 3, -1, -2, 4, -3, 6 }, [1, 2, 5]);
        using var segments = tensor(new byte[] { 1, 1, 2, 3, 0 }, [1, 5]);

        var (pooled, positions) = PcnnModel.PiecewiseMaxPool(conv, segments);
        using (pooled)
        using (positions)
        {
            Assert.Equal(new float[] { 5, 0, 2, 4, 7, 0 }, pooled.data<float>().ToArray()); // segment-major: [seg1 H, seg2 H, seg3 H]
            Assert.Equal(new long[] { 1, 3, 2 }, positions.shape);
            Assert.Equal(new long[] { 1, 0, 2, 2, 3, 3 }, positions.data<long>().ToArray());
        }
    }

    [Fact]
    public void An_empty_segment_gives_zero()
    {
        // The second entity ends the sentence: segment 3 is empty.
        using var conv = tensor(new float[] { 2, -1, 3 }, [1, 1, 3]);
        using var segments = tensor(new byte[] { 1, 2, 2 }, [1, 3]);

        var (pooled, positions) = PcnnModel.PiecewiseMaxPool(conv, segments);
        using (pooled)
        using (positions)
        {
            Assert.Equal(new float[] { 2, 3, 0 }, pooled.data<float>().ToArray());
        }
    }

    [Theory]
    // head [4, 6) after tail [1, 2): the first entity by position is the tail, so segment 1 ends after token 1
    [InlineData(4, 6, 1, 2, new byte[] { 1, 1, 2, 2, 2, 2, 3 })]
    // the same spans with the roles swapped cut the sentence the same way
    [InlineData(1, 2, 4, 6, new byte[] { 1, 1, 2, 2, 2, 2, 3 })]
    // adjacent entities at the start: segment 2 holds only the second entity
    [InlineData(0, 1, 1, 2, new byte[] { 1, 2, 3, 3, 3, 3, 3 })]
    public void Segments_are_cut_by_the_first_and_second_entity_in_sentence_order(int hs, int he, int ts, int te, byte[] expected)
    {
        Assert.Equal(expected, PcnnEncoding.Segments(7, hs, he, ts, te));
    }

    [Fact]
    public void Pooling_a_sentence_whose_head_comes_after_its_tail()
    {
        // tokens: a [tail] b c [head head] d — segments 1 1 2 2 2 2 3, then one padding position.
        var segments = PcnnEncoding.Segments(7, 4, 6, 1, 2);
        using var segmentTensor = tensor(segments.Append((byte)0).ToArray(), [1, 8]);
        // one filter whose value is the token index (the padding position 7 would win everything)
        using var conv = arange(8, dtype: ScalarType.Float32).view(1, 1, 8);

        var (pooled, positions) = PcnnModel.PiecewiseMaxPool(conv, segmentTensor);
        using (pooled)
        using (positions)
        {
            Assert.Equal(new float[] { 1, 5, 6 }, pooled.data<float>().ToArray());
            Assert.Equal(new long[] { 1, 5, 6 }, positions.data<long>().ToArray());
        }
    }
}
