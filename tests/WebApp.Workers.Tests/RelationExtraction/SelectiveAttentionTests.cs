using WebApp.Workers.RelationExtraction;
using static TorchSharp.torch;

namespace WebApp.Workers.Tests.RelationExtraction;

public class SelectiveAttentionTests
{
    [Fact]
    public void Attention_weights_are_the_softmax_of_the_query_scores_within_each_bag()
    {
        // sentences r0 = [1, 0], r1 = [0, 1], r2 = [1, 1]; bag 0 = {r0, r1}, bag 1 = {r2} (padded).
        // bag 0, query [ln 3, 0]: scores ln 3 and 0 → softmax 3/4, 1/4 → 3/4·r0 + 1/4·r1 = [0.75, 0.25]
        // bag 0, query [0, ln 3]: 1/4·r0 + 3/4·r1 = [0.25, 0.75]
        // bag 1: one sentence gets weight 1 whatever the query → [1, 1] (the padding entry, index 0, is masked)
        var ln3 = (float)Math.Log(3);
        using var reps = tensor(new float[] { 1, 0, 0, 1, 1, 1 }, [3, 2]);
        using var index = tensor(new long[] { 0, 1, 2, 0 }, [2, 2]);
        bool[] real = [true, true, true, false];
        using var mask = tensor(real, [2, 2]);
        using var queries = tensor(new float[] { ln3, 0, 0, ln3, ln3, 0, 0, ln3 }, [2, 2, 2]);

        using var result = PcnnModel.SelectiveAttention(reps, index, mask, queries);

        Assert.Equal(new long[] { 2, 2, 2 }, result.shape);
        var values = result.data<float>().ToArray();
        float[] expected = [0.75f, 0.25f, 0.25f, 0.75f, 1, 1, 1, 1];
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], values[i], 5);
    }
}
