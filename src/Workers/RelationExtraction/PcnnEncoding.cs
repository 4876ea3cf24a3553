namespace WebApp.Workers.RelationExtraction;

/// <summary>Turns examples into <see cref="EncodedSentence"/>s: cutting, word ids, relative positions, segments.</summary>
public static class PcnnEncoding
{
    /// <summary>
    /// Position indices of every token relative to the span [start, end): the distance to the nearest span token
    /// (negative before, 0 inside, positive after), clipped to ±<paramref name="maxDistance"/>, shifted to
    /// 1 … 2·maxDistance + 1 (index 0 is the padding row of the position embedding).
    /// </summary>
    public static int[] RelativePositions(int length, int start, int end, int maxDistance)
    {
        var positions = new int[length];
        for (var i = 0; i < length; i++)
        {
            var distance = i < start ? i - start : i >= end ? i - end + 1 : 0;
            positions[i] = Math.Clamp(distance, -maxDistance, maxDistance) + maxDistance + 1;
        }
        return positions;
    }

    /// <summary>Rows of the position embedding: the padding row and 2·maxDistance + 1 distances.</summary>
    public static int PositionCount(int maxDistance) => 2 * maxDistance + 2;

    /// <summary>
    /// The three pieces cut by the two entities, whichever comes first: tokens up to the end of the first entity
    /// are segment 1, up to the end of the second entity segment 2, the rest segment 3 (a segment may be empty).
    /// </summary>
    public static byte[] Segments(int length, int headStart, int headEnd, int tailStart, int tailEnd)
    {
        var (firstEnd, secondEnd) = headStart <= tailStart ? (headEnd, tailEnd) : (tailEnd, headEnd);
        secondEnd = Math.Max(firstEnd, secondEnd);
        var segments = new byte[length];
        for (var i = 0; i < length; i++) segments[i] = (byte)(i < firstEnd ? 1 : i < secondEnd ? 2 : 3);
        return segments;
    }

    /// <summary>
    /// The first token of a window of at most <paramref name="maxLength"/> tokens that keeps both entities when
    /// they fit (centred on them), else starts at the first entity.
    /// </summary>
    public static int WindowStart(int length, int headStart, int headEnd, int tailStart, int tailEnd, int maxLength)
    {
        if (length <= maxLength) return 0;
        var from = Math.Min(headStart, tailStart);
        var to = Math.Max(headEnd, tailEnd);
        if (to - from >= maxLength) return from;
        var start = from - (maxLength - (to - from)) / 2;
        return Math.Clamp(start, 0, length - maxLength);
    }

    public static EncodedSentence Encode(RelationExample example, Vocabulary vocabulary, int maxLength, int maxDistance)
    {
        var offset = WindowStart(example.Tokens.Count, example.HeadStart, example.HeadEnd, example.TailStart, example.TailEnd, maxLength);
        var length = Math.Min(maxLength, example.Tokens.Count - offset);
        var words = new int[length];
        for (var i = 0; i < length; i++) words[i] = vocabulary[example.Tokens[offset + i]];
        int Cut(int index) => Math.Clamp(index - offset, 0, length);
        int hs = Cut(example.HeadStart), he = Cut(example.HeadEnd), ts = Cut(example.TailStart), te = Cut(example.TailEnd);
        return new EncodedSentence(words,
            RelativePositions(length, hs, Math.Max(he, hs + 1), maxDistance),
            RelativePositions(length, ts, Math.Max(te, ts + 1), maxDistance),
            Segments(length, hs, he, ts, te), offset);
    }
}
