using WebApp.Workers.RelationExtraction;
using static TorchSharp.torch;

namespace WebApp.Workers.Tests.RelationExtraction;

[Collection(TorchRandomGroup.Name)]
public sealed class PcnnWarmStartTests
{
    private static readonly string[] Relations = ["NA", "born_in", "works_for"];

    private static PcnnTrainedModel Untrained(string[] words, string[] relations, PcnnOptions options)
    {
        var vocabulary = new Vocabulary(words);
        return new PcnnTrainedModel(new PcnnModel(vocabulary.Count, options.WordDim, relations.Length, options), vocabulary, relations,
            options, options.WordDim);
    }

    private static TorchSharp.Modules.Parameter Parameter(PcnnTrainedModel model, string name) =>
        model.Model.named_parameters().Single(p => p.name == name).parameter;

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void A_warm_started_network_begins_with_the_parents_weights_and_its_words_rows()
    {
        using var parent = Untrained(["born", "in", "oslo"], Relations, TinyCorpus.Options);
        using var child = Untrained(["in", "born", "rome"], Relations, TinyCorpus.Options);
        var wordsName = child.Model.named_parameters().Single(p => p.name.Contains("words", StringComparison.Ordinal)).name;
        using var newWordBefore = Parameter(child, wordsName)[child.Vocabulary["rome"]].clone();

        Assert.Null(PcnnWarmStart.Incompatibility(parent, child.Relations, child.Options, child.WordDim));
        var carried = PcnnWarmStart.Apply(parent, child);

        Assert.Equal(2, carried); // "in" and "born"; "rome" is new
        foreach (var (name, parameter) in child.Model.named_parameters())
        {
            if (name == wordsName) continue;
            Assert.True(Same(parameter, Parameter(parent, name)), $"{name} differs from the parent's");
        }
        var childWords = Parameter(child, wordsName);
        var parentWords = Parameter(parent, wordsName);
        foreach (var word in new[] { "<pad>", "<unk>", "in", "born" })
        {
            Assert.True(Same(childWords[child.Vocabulary[word]], parentWords[parent.Vocabulary[word]]), $"row of '{word}'");
        }
        Assert.True(Same(childWords[child.Vocabulary["rome"]], newWordBefore), "a new word keeps its own initialisation");
    }

    [Fact]
    public void A_parent_with_other_relations_or_layer_sizes_is_refused_with_the_reason()
    {
        using var parent = Untrained(["a"], Relations, TinyCorpus.Options);

        Assert.Equal("relation set changed (NA, born_in, works_for → NA, born_in)",
            PcnnWarmStart.Incompatibility(parent, ["NA", "born_in"], TinyCorpus.Options, TinyCorpus.Options.WordDim));
        Assert.Equal("filters changed (12 → 24)",
            PcnnWarmStart.Incompatibility(parent, Relations, TinyCorpus.Options with { Filters = 24 }, TinyCorpus.Options.WordDim));
        Assert.Equal("word dimension changed (8 → 16)", PcnnWarmStart.Incompatibility(parent, Relations, TinyCorpus.Options, 16));
        Assert.Null(PcnnWarmStart.Incompatibility(parent, Relations, TinyCorpus.Options with { Aggregation = BagAggregation.Avg, Epochs = 3 },
            TinyCorpus.Options.WordDim));
    }

    [Fact]
    public async Task A_warm_start_from_a_trained_model_begins_with_a_lower_loss_than_a_cold_start()
    {
        var corpus = TinyCorpus.Create();
        using var parent = await PcnnTrainer.TrainAsync(corpus, TinyCorpus.Options, CPU, null, null, CancellationToken.None);
        var oneEpoch = TinyCorpus.Options with { Epochs = 1 };

        using var cold = await PcnnTrainer.TrainAsync(corpus, oneEpoch, CPU, null, null, CancellationToken.None);
        using var warm = await PcnnTrainer.TrainAsync(corpus, oneEpoch, CPU, null, null, parent.Model, CancellationToken.None);

        Assert.Null(cold.WarmStart);
        Assert.Equal(new PcnnWarmStartOutcome(true, null, warm.Model.Vocabulary.Count - 2), warm.WarmStart);
        Assert.True(warm.History[0].MeanLoss < cold.History[0].MeanLoss / 2,
            $"first-epoch loss warm {warm.History[0].MeanLoss}, cold {cold.History[0].MeanLoss}");
    }

    [Fact]
    public async Task An_incompatible_parent_leaves_the_run_cold_and_says_why()
    {
        var corpus = TinyCorpus.Create();
        using var parent = Untrained(["born"], ["NA", "born_in"], TinyCorpus.Options);
        var oneEpoch = TinyCorpus.Options with { Epochs = 1 };

        using var cold = await PcnnTrainer.TrainAsync(corpus, oneEpoch, CPU, null, null, CancellationToken.None);
        using var refused = await PcnnTrainer.TrainAsync(corpus, oneEpoch, CPU, null, null, parent, CancellationToken.None);

        Assert.Equal(PcnnWarmStartOutcome.Skipped("relation set changed (NA, born_in → NA, born_in, works_for)"), refused.WarmStart);
        Assert.Equal(cold.History[0].MeanLoss, refused.History[0].MeanLoss); // same seed, same random start
    }
}
