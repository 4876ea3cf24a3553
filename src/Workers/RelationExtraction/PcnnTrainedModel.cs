namespace WebApp.Workers.RelationExtraction;

/// <summary>A PCNN with everything needed to use it: vocabulary, relation names and the options it was built with.</summary>
public sealed class PcnnTrainedModel(PcnnModel model, Vocabulary vocabulary, IReadOnlyList<string> relations, PcnnOptions options, int wordDim)
    : IDisposable
{
    public PcnnModel Model { get; } = model;
    public Vocabulary Vocabulary { get; } = vocabulary;
    public IReadOnlyList<string> Relations { get; } = relations;
    public PcnnOptions Options { get; } = options;

    /// <summary>The word embedding size (the word vectors' dimension when they were used).</summary>
    public int WordDim { get; } = wordDim;

    public EncodedSentence Encode(RelationExample example) =>
        PcnnEncoding.Encode(example, Vocabulary, Options.MaxLength, Options.EffectiveMaxPositionDistance);

    public void Dispose() => Model.Dispose();
}
