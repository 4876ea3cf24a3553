using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// Plain SGD and Adam (PyTorch's update rules, L2 weight decay added to the gradient) written with explicit,
/// kept-alive scalars. TorchSharp 0.107's own optimisers create implicit <c>Scalar</c>s whose finalisers can
/// run during the native call that uses them; under the allocation rate of a training loop this crashed
/// Adam.step after a few epochs ("Expected false to be true" from <c>Scalar::toFloat</c>).
/// </summary>
public sealed class PcnnParameterUpdate : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly PcnnOptimizer _kind;
    private readonly double _learningRate;
    private readonly double _weightDecay;
    private long _steps;

    public PcnnParameterUpdate(IEnumerable<Parameter> parameters, PcnnOptimizer kind, double learningRate, double weightDecay)
    {
        _parameters = parameters.Where(p => p.requires_grad).ToArray();
        _kind = kind;
        _learningRate = learningRate;
        _weightDecay = weightDecay;
        _firstMoments = kind == PcnnOptimizer.Adam ? _parameters.Select(p => zeros_like(p)).ToArray() : [];
        _secondMoments = kind == PcnnOptimizer.Adam ? _parameters.Select(p => zeros_like(p)).ToArray() : [];
    }

    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad?.zero_();
    }

    public void Step()
    {
        _steps++;
        using var noGrad = no_grad();
        using var decay = _weightDecay.ToScalar();
        if (_kind == PcnnOptimizer.Sgd)
        {
            using var minusLr = (-_learningRate).ToScalar();
            foreach (var p in _parameters)
            {
                if (p.grad is not { } g) continue;
                if (_weightDecay != 0) g.add_(p, decay);
                p.add_(g, minusLr);
            }
            return;
        }

        var correction1 = 1 - Math.Pow(Beta1, _steps);
        var correction2 = 1 - Math.Pow(Beta2, _steps);
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var sqrtCorrection2 = Math.Sqrt(correction2).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var stepSize = (-_learningRate / correction1).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.grad is not { } g) continue;
            if (_weightDecay != 0) g.add_(p, decay);
            _firstMoments[i].mul_(beta1).add_(g, oneMinusBeta1);
            _secondMoments[i].mul_(beta2).addcmul_(g, g, oneMinusBeta2);
            using var denominator = _secondMoments[i].sqrt();
            denominator.div_(sqrtCorrection2).add_(epsilon);
            p.addcdiv_(_firstMoments[i], denominator, stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var t in _firstMoments.Concat(_secondMoments)) t.Dispose();
    }
}
