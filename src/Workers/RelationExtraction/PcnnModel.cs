using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// PCNN (Zeng et al., 2015) with bag aggregation (Lin et al., 2016): word + two position embeddings →
/// Conv1d (padding window/2) → piecewise max pooling over the three segments → ReLU → dropout →
/// a 3·filters sentence representation; ONE, AVG or ATT combine a bag's sentences; a linear layer gives the
/// relation logits. The classifier's rows are the attention queries (as OpenNRE).
/// </summary>
public sealed class PcnnModel : nn.Module
{
    private readonly Embedding _words;
    private readonly Embedding _headPositions;
    private readonly Embedding _tailPositions;
    private readonly Conv1d _conv;
    private readonly Dropout _dropout;
    private readonly Linear _classifier;
    private readonly BagAggregation _aggregation;

    public PcnnModel(int vocabularySize, int wordDim, int relations, PcnnOptions options) : base(nameof(PcnnModel))
    {
        ArgumentNullException.ThrowIfNull(options);
        _aggregation = options.Aggregation;
        var positions = PcnnEncoding.PositionCount(options.EffectiveMaxPositionDistance);
        _words = nn.Embedding(vocabularySize, wordDim, padding_idx: Vocabulary.Pad);
        _headPositions = nn.Embedding(positions, options.PositionDim, padding_idx: 0);
        _tailPositions = nn.Embedding(positions, options.PositionDim, padding_idx: 0);
        _conv = nn.Conv1d(wordDim + 2 * options.PositionDim, options.Filters, options.Window, padding: options.Window / 2);
        _dropout = nn.Dropout(options.Dropout);
        _classifier = nn.Linear(3 * options.Filters, relations);
        Relations = relations;
        RepresentationSize = 3 * options.Filters;
        RegisterComponents();
    }

    public int Relations { get; }

    /// <summary>3 × filters: the length of a sentence representation.</summary>
    public int RepresentationSize { get; }

    /// <summary>Copies the vectors of the words that have one into the word embedding.</summary>
    public int SetWordVectors(Vocabulary vocabulary, WordVectors vectors)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(vectors);
        using var noGrad = no_grad();
        var found = 0;
        for (var id = 2; id < vocabulary.Count; id++)
        {
            if (!vectors.Vectors.TryGetValue(vocabulary.Words[id], out var vector)) continue;
            using var row = tensor(vector);
            using var target = _words.weight![id];
            target.copy_(row);
            found++;
        }
        return found;
    }

    /// <summary>
    /// Takes over <paramref name="parent"/>'s weights (same shape but for the vocabulary): every layer, and the
    /// word embedding row <c>parentRows[id]</c> for each word id where it is not negative.
    /// </summary>
    public void CopyWeightsFrom(PcnnModel parent, IReadOnlyList<int> parentRows)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(parentRows);
        if (parentRows.Count != _words.weight!.shape[0]) throw new ArgumentException("One parent row per word is needed.", nameof(parentRows));
        using var noGrad = no_grad();
        foreach (var (target, source) in new[]
                 {
                     (_headPositions.weight!, parent._headPositions.weight!), (_tailPositions.weight!, parent._tailPositions.weight!),
                     (_conv.weight!, parent._conv.weight!), (_conv.bias!, parent._conv.bias!),
                     (_classifier.weight!, parent._classifier.weight!), (_classifier.bias!, parent._classifier.bias!),
                 })
        {
            if (!target.shape.SequenceEqual(source.shape)) throw new ArgumentException("The parent network has another shape.", nameof(parent));
            target.copy_(source);
        }
        var ids = Enumerable.Range(0, parentRows.Count).Where(id => parentRows[id] >= 0).ToArray();
        if (ids.Length == 0) return;
        using var targetIds = tensor(ids.Select(id => (long)id).ToArray(), device: _words.weight.device);
        using var sourceIds = tensor(ids.Select(id => (long)parentRows[id]).ToArray(), device: parent._words.weight!.device);
        using var rows = parent._words.weight.index_select(0, sourceIds).to(_words.weight.device);
        _words.weight.index_copy_(0, targetIds, rows);
    }

    /// <summary>Sentence representations <c>[B, 3·filters]</c> (dropout applies in training mode).</summary>
    public Tensor Encode(PcnnBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Encode(batch, out _);
    }

    /// <summary>As <see cref="Encode(PcnnBatch)"/>, also giving the winning positions <c>[B, 3, filters]</c>.</summary>
    public Tensor Encode(PcnnBatch batch, out Tensor winners)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var input = cat([_words.forward(batch.Words), _headPositions.forward(batch.HeadPositions), _tailPositions.forward(batch.TailPositions)], 2);
        var convolved = _conv.forward(input.transpose(1, 2));
        var (pooled, indices) = PiecewiseMaxPool(convolved, batch.Segments);
        var representation = _dropout.forward(pooled);
        winners = indices.MoveToOuterDisposeScope();
        return representation.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Max over each of the three segments (segment ids 1, 2, 3 in <paramref name="segments"/> <c>[B, L]</c>,
    /// 0 = padding, never chosen) of <paramref name="convolved"/> <c>[B, H, L]</c>, then ReLU; an empty segment
    /// gives 0. ReLU after the max equals OpenNRE's max after ReLU (ReLU is monotone) and touches 3·H values
    /// instead of H·L. Returns <c>[B, 3·H]</c> (segment 1's H values first) and the argmax positions <c>[B, 3, H]</c>.
    /// </summary>
    public static (Tensor Pooled, Tensor Positions) PiecewiseMaxPool(Tensor convolved, Tensor segments)
    {
        ArgumentNullException.ThrowIfNull(convolved);
        ArgumentNullException.ThrowIfNull(segments);
        using var scope = NewDisposeScope();
        // Explicit scalars kept alive for the calls: an implicit one may be finalised during the native call.
        using var minusInfinity = float.NegativeInfinity.ToScalar();
        var values = new Tensor[3];
        var positions = new Tensor[3];
        for (var s = 0; s < 3; s++)
        {
            var outside = segments.ne(s + 1).unsqueeze(1); // [B, 1, L]
            var (max, argmax) = convolved.masked_fill(outside, minusInfinity).max(2);
            values[s] = max;
            positions[s] = argmax;
        }
        var pooled = nn.functional.relu(cat(values, 1));
        var winners = stack(positions, 1);
        return (pooled.MoveToOuterDisposeScope(), winners.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Selective attention: for every bag g and query q, the softmax over the bag's sentences of
    /// (representation · query) weights the representations. <paramref name="representations"/> <c>[S, D]</c>,
    /// <paramref name="bagIndex"/> <c>[G, M]</c> rows of sentence indices, <paramref name="bagMask"/> <c>[G, M]</c>
    /// true for real entries, <paramref name="queries"/> <c>[G, Q, D]</c>. Returns <c>[G, Q, D]</c>.
    /// </summary>
    public static Tensor SelectiveAttention(Tensor representations, Tensor bagIndex, Tensor bagMask, Tensor queries)
    {
        ArgumentNullException.ThrowIfNull(representations);
        ArgumentNullException.ThrowIfNull(bagIndex);
        ArgumentNullException.ThrowIfNull(bagMask);
        ArgumentNullException.ThrowIfNull(queries);
        using var scope = NewDisposeScope();
        using var minusInfinity = float.NegativeInfinity.ToScalar();
        var padded = Gather(representations, bagIndex); // [G, M, D]
        var scores = bmm(padded, queries.transpose(1, 2)); // [G, M, Q]
        scores = scores.masked_fill(bagMask.logical_not().unsqueeze(2), minusInfinity);
        var weights = scores.softmax(1); // over the bag's sentences
        return bmm(weights.transpose(1, 2), padded).MoveToOuterDisposeScope(); // [G, Q, D]
    }

    /// <summary>Sentence logits <c>[B, relations]</c> from representations.</summary>
    public Tensor Classify(Tensor representations) => _classifier.forward(representations);

    /// <summary>Bag logits for training <c>[G, relations]</c>; the bag's label picks the sentence (ONE) or the query (ATT).</summary>
    public Tensor TrainingLogits(Tensor representations, PcnnBatch batch, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(representations);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        Tensor bagRepresentations;
        switch (_aggregation)
        {
            case BagAggregation.Att:
                var queries = _classifier.weight!.index_select(0, labels).unsqueeze(1); // [G, 1, D]
                bagRepresentations = SelectiveAttention(representations, batch.BagIndex, batch.BagMask, queries).squeeze(1);
                break;
            case BagAggregation.Avg:
                bagRepresentations = Average(representations, batch.BagIndex, batch.BagMask);
                break;
            default:
                Tensor chosen;
                using (no_grad())
                {
                    var probabilities = Classify(representations).softmax(1); // [S, N]
                    var forLabel = Gather(probabilities, batch.BagIndex) // [G, M, N]
                        .gather(2, labels.view(-1, 1, 1).expand(-1, batch.BagIndex.shape[1], 1)).squeeze(2);
                    using var minusOne = (-1f).ToScalar();
                    var best = forLabel.masked_fill(batch.BagMask.logical_not(), minusOne).argmax(1, keepdim: true);
                    chosen = batch.BagIndex.gather(1, best).squeeze(1);
                }
                bagRepresentations = representations.index_select(0, chosen);
                break;
        }
        return Classify(bagRepresentations).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Bag probabilities at test time <c>[G, relations]</c>: ONE takes each relation's maximum over the sentences,
    /// AVG the softmax of the mean representation, ATT for every relation r the probability of r after attention
    /// with query r.
    /// </summary>
    public Tensor TestProbabilities(Tensor representations, PcnnBatch batch)
    {
        ArgumentNullException.ThrowIfNull(representations);
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        Tensor result;
        switch (_aggregation)
        {
            case BagAggregation.Att:
                var bags = batch.BagIndex.shape[0];
                var queries = _classifier.weight!.unsqueeze(0).expand(bags, -1, -1); // [G, N, D]
                var perRelation = SelectiveAttention(representations, batch.BagIndex, batch.BagMask, queries);
                result = Classify(perRelation).softmax(2).diagonal(0, 1, 2); // [G, N]
                break;
            case BagAggregation.Avg:
                result = Classify(Average(representations, batch.BagIndex, batch.BagMask)).softmax(1);
                break;
            default:
                var probabilities = Gather(Classify(representations).softmax(1), batch.BagIndex); // [G, M, N]
                using (var zero = 0f.ToScalar())
                {
                    result = probabilities.masked_fill(batch.BagMask.logical_not().unsqueeze(2), zero).amax([1]);
                }
                break;
        }
        return result.contiguous().MoveToOuterDisposeScope();
    }

    private static Tensor Gather(Tensor rows, Tensor index) =>
        rows.index_select(0, index.flatten()).view(index.shape[0], index.shape[1], rows.shape[1]);

    private static Tensor Average(Tensor representations, Tensor bagIndex, Tensor bagMask)
    {
        var mask = bagMask.to_type(representations.dtype).unsqueeze(2); // [G, M, 1]
        return (Gather(representations, bagIndex) * mask).sum(1) / mask.sum(1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _words.Dispose();
            _headPositions.Dispose();
            _tailPositions.Dispose();
            _conv.Dispose();
            _dropout.Dispose();
            _classifier.Dispose();
        }
        base.Dispose(disposing);
    }
}
