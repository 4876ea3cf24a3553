using WebApp.Workers.RelationExtraction;

namespace WebApp.Workers.Tests.RelationExtraction;

/// <summary>Eight sentences, two relations and NA, small enough to overfit in a few dozen steps.</summary>
internal static class TinyCorpus
{
    public static readonly PcnnOptions Options = new()
    {
        WordDim = 8,
        PositionDim = 2,
        Filters = 12,
        Dropout = 0,
        MaxLength = 16,
        Optimizer = PcnnOptimizer.Adam,
        LearningRate = 0.05,
        BatchSize = 4,
        Epochs = 40,
        Patience = 0,
        Seed = 3,
    };

    public static RelationCorpus Create()
    {
        RelationExample[] train =
        [
            Example("ann was born in oslo", 0, 4, 1, "ann|oslo"),
            Example("bob was born in rome", 0, 4, 1, "bob|rome"),
            Example("in paris , cy was born", 3, 1, 1, "cy|paris"),
            Example("dan works for acme", 0, 3, 2, "dan|acme"),
            Example("eve works for initech", 0, 3, 2, "eve|initech"),
            Example("at globex works fay", 3, 1, 2, "fay|globex"),
            Example("gus met hal in town", 0, 2, 0, "gus|hal"),
            Example("ivy and jo went home", 0, 2, 0, "ivy|jo"),
        ];
        return new RelationCorpus(["NA", "born_in", "works_for"], train, train, train);
    }

    private static RelationExample Example(string text, int head, int tail, int label, string key) =>
        new(text.Split(' '), head, head + 1, tail, tail + 1, label, key);
}
