namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// A sentence as the PCNN reads it: word ids, position indices to head and tail (0 is padding), and the segment
/// (1, 2, 3) of every token; <see cref="Offset"/> is the first original token kept when the sentence was cut.
/// </summary>
public sealed record EncodedSentence(int[] Words, int[] HeadPositions, int[] TailPositions, byte[] Segments, int Offset)
{
    public int Length => Words.Length;
}
