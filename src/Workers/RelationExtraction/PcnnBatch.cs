using static TorchSharp.torch;

namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// The tensors of one batch: sentences padded to the batch's longest (<c>[B, L]</c>: word ids, position indices,
/// segments with 0 for padding) and bags as rows of sentence indices (<c>[G, M]</c>, with a mask of real entries).
/// Create it inside a dispose scope.
/// </summary>
public sealed class PcnnBatch : IDisposable
{
    private PcnnBatch(Tensor words, Tensor headPositions, Tensor tailPositions, Tensor segments, Tensor bagIndex, Tensor bagMask)
    {
        Words = words;
        HeadPositions = headPositions;
        TailPositions = tailPositions;
        Segments = segments;
        BagIndex = bagIndex;
        BagMask = bagMask;
    }

    public Tensor Words { get; }
    public Tensor HeadPositions { get; }
    public Tensor TailPositions { get; }
    public Tensor Segments { get; }
    public Tensor BagIndex { get; }
    public Tensor BagMask { get; }

    /// <summary>One batch of the given bags (each a list of indices into <paramref name="sentences"/>).</summary>
    public static PcnnBatch Create(IReadOnlyList<EncodedSentence> sentences, IReadOnlyList<IReadOnlyList<int>> bags, Device device)
    {
        var order = new List<EncodedSentence>();
        var maxBag = bags.Max(b => b.Count);
        var bagIndex = new long[bags.Count * maxBag];
        var bagMask = new bool[bags.Count * maxBag];
        for (var g = 0; g < bags.Count; g++)
        {
            for (var m = 0; m < bags[g].Count; m++)
            {
                bagIndex[g * maxBag + m] = order.Count;
                bagMask[g * maxBag + m] = true;
                order.Add(sentences[bags[g][m]]);
            }
        }
        var length = Math.Max(1, order.Max(s => s.Length));
        var count = order.Count;
        var words = new long[count * length];
        var head = new long[count * length];
        var tail = new long[count * length];
        var segments = new byte[count * length];
        for (var i = 0; i < count; i++)
        {
            var s = order[i];
            var row = i * length;
            for (var j = 0; j < s.Length; j++)
            {
                words[row + j] = s.Words[j];
                head[row + j] = s.HeadPositions[j];
                tail[row + j] = s.TailPositions[j];
            }
            Array.Copy(s.Segments, 0, segments, row, s.Length);
        }
        long[] shape = [count, length];
        return new PcnnBatch(
            tensor(words, shape).to(device), tensor(head, shape).to(device), tensor(tail, shape).to(device),
            tensor(segments, shape).to(device),
            tensor(bagIndex, [bags.Count, maxBag]).to(device), tensor(bagMask, [bags.Count, maxBag]).to(device));
    }

    public void Dispose()
    {
        Words.Dispose();
        HeadPositions.Dispose();
        TailPositions.Dispose();
        Segments.Dispose();
        BagIndex.Dispose();
        BagMask.Dispose();
    }
}
