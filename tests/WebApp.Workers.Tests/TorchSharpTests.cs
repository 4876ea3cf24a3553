using WebApp.Workers.Training;
using static TorchSharp.torch;

namespace WebApp.Workers.Tests;

public class TorchSharpTests
{
    [Fact]
    public void Forward_and_backward_match_hand_computed_values()
    {
        // y = w·x + b = 0.5·1 − 1·2 + 0.25 = −1.25; loss = (y − 1)² = 5.0625
        // dL/dw = 2(y − 1)·x = −4.5·[1, 2]; dL/db = −4.5
        using var x = tensor(new float[] { 1, 2 });
        using var w = tensor(new float[] { 0.5f, -1 }).requires_grad_();
        using var b = tensor(0.25f).requires_grad_();

        using var y = (w * x).sum() + b;
        using var loss = (y - 1).pow(2);
        loss.backward();

        Assert.Equal(-1.25f, y.item<float>(), 5);
        Assert.Equal(5.0625f, loss.item<float>(), 5);
        Assert.Equal(new[] { -4.5f, -9f }, w.grad!.data<float>().ToArray());
        Assert.Equal(-4.5f, b.grad!.item<float>(), 5);
    }

    [Fact]
    public void The_demo_model_gives_two_logits_per_point_and_gradients_for_every_parameter()
    {
        using var model = new TinyClassifier(2, 8, 2);
        using var input = randn(5, 2);
        using var target = tensor(new long[] { 0, 1, 0, 1, 1 });

        using var logits = model.forward(input);
        using var loss = nn.functional.cross_entropy(logits, target);
        loss.backward();

        Assert.Equal(new long[] { 5, 2 }, logits.shape);
        Assert.All(model.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0));
    }
}
