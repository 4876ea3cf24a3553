using TorchSharp;
using WebApp.Workers.RelationExtraction;
using static TorchSharp.torch;

namespace WebApp.Workers.Tests.RelationExtraction;

[Collection(TorchRandomGroup.Name)]
public class PcnnParameterUpdateTests
{
    [Theory]
    [InlineData(PcnnOptimizer.Adam, 0.01, 0.0)]
    [InlineData(PcnnOptimizer.Adam, 0.01, 0.1)]
    [InlineData(PcnnOptimizer.Sgd, 0.1, 1e-2)]
    public void Matches_torch_optimisers_step_for_step(PcnnOptimizer kind, double lr, double weightDecay)
    {
        random.manual_seed(5);
        using var ours = nn.Linear(3, 2);
        using var theirs = nn.Linear(3, 2);
        using (no_grad())
        {
            theirs.weight!.copy_(ours.weight!);
            theirs.bias!.copy_(ours.bias!);
        }
        using var initial = ours.weight!.detach().clone();
        using var input = randn(4, 3);
        using var target = tensor(new long[] { 0, 1, 1, 0 });
        using var update = new PcnnParameterUpdate(ours.parameters(), kind, lr, weightDecay);
        using optim.Optimizer reference = kind == PcnnOptimizer.Adam
            ? optim.Adam(theirs.parameters(), lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: weightDecay)
            : optim.SGD(theirs.parameters(), lr, weight_decay: weightDecay);

        for (var step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            update.ZeroGrad();
            nn.functional.cross_entropy(ours.forward(input), target).backward();
            update.Step();
            reference.zero_grad();
            nn.functional.cross_entropy(theirs.forward(input), target).backward();
            reference.step();
        }

        Assert.True(ours.weight!.allclose(theirs.weight!, rtol: 1e-5, atol: 1e-6));
        Assert.True(ours.bias!.allclose(theirs.bias!, rtol: 1e-5, atol: 1e-6));
        Assert.False(ours.weight!.allclose(initial), "the weights did not move");
    }
}
