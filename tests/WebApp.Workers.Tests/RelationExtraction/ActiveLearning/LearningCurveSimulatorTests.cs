using WebApp.Domain.RelationExtraction.ActiveLearning;
using WebApp.Workers.RelationExtraction;
using WebApp.Workers.RelationExtraction.ActiveLearning;
using static TorchSharp.torch;

namespace WebApp.Workers.Tests.RelationExtraction.ActiveLearning;

[Collection(TorchRandomGroup.Name)]
public sealed class LearningCurveSimulatorTests
{
    private static readonly string[] Relations = ["NA", "born_in", "works_for"];

    /// <summary>
    /// Twelve training candidates whose distant labels are partly wrong (ids 3, 6, 9 and 12), gold for every one,
    /// and a test split with gold; candidate 5 has two distant labels (two examples, one id).
    /// </summary>
    private static LearningCurveData Data()
    {
        (string Text, int Head, int Tail, int Gold, int Distant)[] train =
        [
            ("ann was born in oslo", 0, 4, 1, 1),
            ("bob was born in rome", 0, 4, 1, 1),
            ("in paris , cy was born", 3, 1, 1, 0),
            ("dan works for acme", 0, 3, 2, 2),
            ("eve works for initech", 0, 3, 2, 2),
            ("at globex works fay", 3, 1, 2, 1),
            ("gus met hal in town", 0, 2, 0, 0),
            ("ivy and jo went home", 0, 2, 0, 0),
            ("kim was born in lima", 0, 4, 1, 2),
            ("lee works for umbrella", 0, 3, 2, 2),
            ("max saw ned at noon", 0, 3, 0, 0),
            ("oz and pia met today", 0, 2, 0, 1),
        ];
        var examples = train.Select((t, i) => Example(t.Text, t.Head, t.Tail, t.Distant, i + 1)).ToList();
        examples.Add(examples[4] with { Label = 1 });
        var gold = train.Select((t, i) => (Id: (long)(i + 1), t.Gold)).ToDictionary(p => p.Id, p => p.Gold);
        (string Text, int Head, int Tail, int Gold)[] test =
        [
            ("quin was born in bonn", 0, 4, 1),
            ("ray works for hooli", 0, 3, 2),
            ("sam met tom in town", 0, 2, 0),
            ("uma works for acme", 0, 3, 2),
            ("vic was born in rome", 0, 4, 1),
        ];
        var testExamples = test.Select((t, i) => Example(t.Text, t.Head, t.Tail, t.Gold, 101 + i)).ToList();
        return new LearningCurveData(Relations, examples, gold, testExamples, testExamples.ToDictionary(e => e.Id, e => e.Label));
    }

    private static RelationExample Example(string text, int head, int tail, int label, long id) =>
        new(text.Split(' '), head, head + 1, tail, tail + 1, label, $"{text.Split(' ')[head]}|{text.Split(' ')[tail]}", 1, id);

    private static readonly LearningCurveOptions Options = new()
    {
        Strategies = [QueryStrategy.Margin, QueryStrategy.DiverseMargin],
        Seeds = 2,
        FirstSeed = 5,
        Rounds = 2,
        BatchSize = 2,
        Model = TinyCorpus.Options with { Epochs = 6 },
    };

    [Fact]
    public async Task Curves_have_one_point_per_round_for_every_strategy_and_seed_and_repeat_for_a_seed()
    {
        var progress = new List<LearningCurveProgress>();
        var first = await LearningCurveSimulator.RunAsync(Data(), Options, CPU, (p, _) =>
        {
            progress.Add(p);
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(12, first.PoolCandidates);
        Assert.Equal(6, first.Curves.Count); // (random + margin + diverse) × 2 seeds
        Assert.Equal(["random", "margin", "diverse"], first.Curves.Select(c => c.Strategy).Distinct());
        Assert.Equal([5, 6], first.Curves.Select(c => c.Seed).Distinct());
        foreach (var curve in first.Curves)
        {
            Assert.Equal([0, 1, 2], curve.Points.Select(p => p.Round));
            Assert.Equal([0, 2, 4], curve.Points.Select(p => p.Labels));
            Assert.All(curve.Points, p => Assert.InRange(p.F1, 0, 1));
            Assert.All(curve.Points, p => Assert.InRange(p.Auc, 0, 1));
        }
        // Every strategy starts from the same distant-supervision model of its seed.
        foreach (var seed in new[] { 5, 6 })
            Assert.Single(first.Curves.Where(c => c.Seed == seed).Select(c => (c.Points[0].F1, c.Points[0].Auc)).Distinct());
        Assert.Equal(3, first.Summary.Count);
        Assert.All(first.Summary, s => Assert.Equal([0, 2, 4], s.Points.Select(p => p.Labels)));
        Assert.Equal(4, first.Headline.RandomBudget);
        Assert.Equal(first.Summary[0].Points[^1].MeanF1, first.Headline.RandomFinalF1, 12);
        Assert.Equal(2 * (1 + 3 * 2), progress.Count);
        Assert.Equal(Enumerable.Range(1, 14), progress.Select(p => p.Step));

        var second = await LearningCurveSimulator.RunAsync(Data(), Options, CPU, null, CancellationToken.None);
        Assert.Equal(Strip(first), Strip(second));
    }

    [Fact]
    public async Task Warm_started_rounds_continue_from_the_previous_model_and_are_repeatable()
    {
        var options = Options with { Strategies = [QueryStrategy.Margin], Seeds = 1 };
        var cold = await LearningCurveSimulator.RunAsync(Data(), options, CPU, null, CancellationToken.None);
        var warm = await LearningCurveSimulator.RunAsync(Data(), options with { WarmStart = true }, CPU, null, CancellationToken.None);
        var again = await LearningCurveSimulator.RunAsync(Data(), options with { WarmStart = true }, CPU, null, CancellationToken.None);

        // The same distant-only start; the rounds differ because they start from its weights, not from scratch.
        Assert.Equal(cold.Curves[0].Points[0], warm.Curves[0].Points[0] with { Seconds = cold.Curves[0].Points[0].Seconds });
        Assert.NotEqual(Strip(cold).Where(p => p.Item3 > 0), Strip(warm).Where(p => p.Item3 > 0));
        Assert.Equal(Strip(warm), Strip(again));
    }

    private static List<(string, int, int, int, double, double)> Strip(LearningCurveResult result) =>
        result.Curves.SelectMany(c => c.Points.Select(p => (c.Strategy, c.Seed, p.Round, p.Labels, p.F1, p.Auc))).ToList();

    [Fact]
    public void Expert_labels_replace_every_distant_example_of_their_candidate_once()
    {
        var data = Data();
        var corpus = LearningCurveSimulator.WithExpertLabels(data.Train, new HashSet<long> { 5, 6 }, data.TrainGold, 2);

        Assert.Equal(data.Train.Count - 1, corpus.Count);
        var five = Assert.Single(corpus, e => e.Id == 5);
        Assert.Equal((2, 2f), (five.Label, five.Weight));
        var six = Assert.Single(corpus, e => e.Id == 6);
        Assert.Equal((2, 2f), (six.Label, six.Weight)); // distant label 1, gold 2
        Assert.All(corpus.Where(e => e.Id is not (5 or 6)), e => Assert.Equal(1f, e.Weight));
    }

    [Fact]
    public void Labels_to_reach_a_target_interpolate_on_the_curve()
    {
        (int, double)[] curve = [(0, 0.5), (100, 0.6), (200, 0.8)];
        Assert.Equal(150, LearningCurveSimulator.LabelsToReach(curve, 0.7)!.Value, 9);
        Assert.Equal(100, LearningCurveSimulator.LabelsToReach(curve, 0.6)!.Value, 9);
        Assert.Equal(0, LearningCurveSimulator.LabelsToReach(curve, 0.4));
        Assert.Null(LearningCurveSimulator.LabelsToReach(curve, 0.9));
    }

    [Fact]
    public async Task Options_are_validated()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            LearningCurveSimulator.RunAsync(Data(), Options with { Rounds = 0 }, CPU, null, CancellationToken.None));
    }
}
