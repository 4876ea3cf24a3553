using TorchSharp;
using TorchSharp.Modules;
using WebApp.Domain.Sequences.Novelty;
using static TorchSharp.torch;

namespace WebApp.Workers.Sequences.Novelty;

/// <summary>
/// Next-event model: token embedding → LSTM (batch first) → linear → log-softmax over the model tokens of
/// <see cref="NextEventVocabulary"/>. Its weights round-trip through the portable <see cref="NextEventWeights"/>.
/// </summary>
public sealed class NextEventLstm : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _embedding;
    private readonly LSTM _lstm;
    private readonly Linear _output;

    public NextEventLstm(NextEventVocabulary vocabulary, int embeddingSize, int hiddenSize, int layers) : base(nameof(NextEventLstm))
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Vocabulary = vocabulary;
        EmbeddingSize = embeddingSize;
        HiddenSize = hiddenSize;
        Layers = layers;
        _embedding = nn.Embedding(vocabulary.Size, embeddingSize);
        _lstm = nn.LSTM(embeddingSize, hiddenSize, numLayers: layers, batchFirst: true);
        _output = nn.Linear(hiddenSize, vocabulary.Size);
        RegisterComponents();
    }

    public NextEventVocabulary Vocabulary { get; }
    public int EmbeddingSize { get; }
    public int HiddenSize { get; }
    public int Layers { get; }

    /// <summary>Input tokens <c>[B, T]</c> (int64) → log-probabilities of the next token <c>[B, T, tokens]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (output, _, _) = _lstm.forward(_embedding.forward(input));
        return _output.forward(output).log_softmax(-1).MoveToOuterDisposeScope();
    }

    public NextEventWeights ExportWeights()
    {
        var layers = new List<NextEventLstmLayer>();
        for (var l = 0; l < Layers; l++)
        {
            layers.Add(new NextEventLstmLayer(Values(LstmParameter("weight_ih", l)), Values(LstmParameter("weight_hh", l)),
                Values(LstmParameter("bias_ih", l)), Values(LstmParameter("bias_hh", l))));
        }
        return new NextEventWeights(Vocabulary.DatasetEvents, EmbeddingSize, HiddenSize, Values(_embedding.weight!), layers,
            Values(_output.weight!), Values(_output.bias!));
    }

    /// <summary>A model (on the CPU) holding <paramref name="weights"/>.</summary>
    public static NextEventLstm FromWeights(NextEventWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var model = new NextEventLstm(weights.Vocabulary, weights.EmbeddingSize, weights.HiddenSize, weights.LayerCount);
        using var noGrad = no_grad();
        Load(model._embedding.weight!, weights.Embedding);
        for (var l = 0; l < weights.LayerCount; l++)
        {
            var layer = weights.Layers[l];
            Load(model.LstmParameter("weight_ih", l), layer.InputWeight);
            Load(model.LstmParameter("weight_hh", l), layer.HiddenWeight);
            Load(model.LstmParameter("bias_ih", l), layer.InputBias);
            Load(model.LstmParameter("bias_hh", l), layer.HiddenBias);
        }
        Load(model._output.weight!, weights.OutputWeight);
        Load(model._output.bias!, weights.OutputBias);
        return model;
    }

    private Parameter LstmParameter(string kind, int layer)
    {
        var name = $"{kind}_l{layer}";
        foreach (var (parameterName, parameter) in _lstm.named_parameters())
        {
            if (parameterName == name) return parameter;
        }
        throw new InvalidOperationException($"The LSTM has no parameter {name}.");
    }

    private static float[] Values(Tensor parameter)
    {
        using var cpu = parameter.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    private static void Load(Tensor parameter, float[] values)
    {
        using var source = tensor(values).view(parameter.shape);
        parameter.copy_(source);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _embedding.Dispose();
            _lstm.Dispose();
            _output.Dispose();
        }
        base.Dispose(disposing);
    }
}
