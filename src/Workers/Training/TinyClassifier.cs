using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WebApp.Workers.Training;

/// <summary>A two-hidden-layer perceptron: the demo job's model.</summary>
public sealed class TinyClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Linear _input;
    private readonly Linear _hidden;
    private readonly Linear _output;

    public TinyClassifier(int inputs, int hiddenUnits, int classes) : base(nameof(TinyClassifier))
    {
        _input = nn.Linear(inputs, hiddenUnits);
        _hidden = nn.Linear(hiddenUnits, hiddenUnits);
        _output = nn.Linear(hiddenUnits, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var first = nn.functional.tanh(_input.forward(input));
        using var second = nn.functional.tanh(_hidden.forward(first));
        return _output.forward(second);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _hidden.Dispose();
            _output.Dispose();
        }
        base.Dispose(disposing);
    }
}
