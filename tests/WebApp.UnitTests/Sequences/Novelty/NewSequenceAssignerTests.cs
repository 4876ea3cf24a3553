using WebApp.Domain.Sequences.Novelty;

namespace WebApp.UnitTests.Sequences.Novelty;

public class NewSequenceAssignerTests
{
    // k2: T1 only event 0, T2 events 1 and 2. k3: one topic per event.
    private static readonly EnsembleModel K2 = new("k2", [[1, 0, 0], [0, 0.5f, 0.5f]]);
    private static readonly EnsembleModel K3 = new("k3", [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    private static readonly CuratedCategory[] Categories =
    [
        new("Start", [new TopicReference(0, 0)]),
        new("Rest", [new TopicReference(0, 1), new TopicReference(1, 1)]),
    ];

    [Fact]
    public void Fold_in_counts_each_event_for_the_topic_that_explains_it_plus_the_prior()
    {
        // Every event belongs to one topic: weights = (counts + 0.5/2) / (4 + 0.5).
        var mixture = NewSequenceAssigner.FoldIn(K2.Topics, [0, 1, 1, 2]);
        Assert.Equal(1.25 / 4.5, mixture[0], 6);
        Assert.Equal(3.25 / 4.5, mixture[1], 6);
        Assert.Equal([0.5, 0.5], NewSequenceAssigner.FoldIn(K2.Topics, [-1, 7]));
    }

    [Fact]
    public void Fold_in_splits_an_event_that_two_topics_share()
    {
        // Event 0 is likelier under T1 (1) than T2 (0.5), but event 1 only T2 explains; without a prior the most likely
        // mixture puts (nearly) everything on T2, which explains both events.
        var mixture = NewSequenceAssigner.FoldIn([[1, 0], [0.5f, 0.5f]], [0, 1], alphaSum: 0);
        Assert.True(mixture[1] > 0.99, $"T2 got {mixture[1]}");
    }

    [Fact]
    public void Curated_categories_score_the_mean_of_their_topics()
    {
        var assigner = NewSequenceAssigner.Curated([K2, K3], Categories, 0.3);
        // [0,0,0]: k2 → (3.25, 0.25) / 3.5 = 0.93 for T1; Start wins.
        var start = assigner.Assign([0, 0, 0]);
        Assert.Equal(0, start.Cluster);
        Assert.Equal("category 'Start' scored 0.93 (topics k2·T1 0.93); threshold 0.30", start.Reason);
        // [1,2]: k2 T2 = 2.25 / 2.5 = 0.9, k3 T2 = (1 + 1/6) / 2.5 = 0.47; Rest scores (0.9 + 0.47) / 2 = 0.68.
        var rest = assigner.Assign([1, 2]);
        Assert.Equal(1, rest.Cluster);
        Assert.Equal("category 'Rest' scored 0.68 (topics k2·T2 0.90, k3·T2 0.47); threshold 0.30", rest.Reason);
    }

    [Fact]
    public void Below_the_threshold_a_sequence_goes_to_others()
    {
        var choice = NewSequenceAssigner.Curated([K2, K3], Categories, 0.95).Assign([0, 0, 0]);
        Assert.Null(choice.Cluster);
        Assert.Equal("best category 'Start' scored 0.93 (topics k2·T1 0.93); threshold 0.95: below, so Others", choice.Reason);
    }

    [Fact]
    public void Unknown_events_are_left_out_and_never_crash()
    {
        var assigner = NewSequenceAssigner.Curated([K2, K3], Categories, 0.3);
        // Only event 0 counts: (1.25, 0.25) / 1.5 → Start 0.83.
        var choice = assigner.Assign([-1, 0, 99]);
        Assert.Equal(0, choice.Cluster);
        Assert.EndsWith("threshold 0.30; 2 unknown event(s) left out", choice.Reason);
        Assert.NotNull(assigner.Assign([-1]).Reason);
        Assert.Equal(0, NewSequenceAssigner.SingleLda(K2).Assign([-1, 0]).Cluster);
        Assert.Equal(1, NewSequenceAssigner.KMeans([[0, 0], [1, 2]]).Assign([-5, 0, 1, 1]).Cluster);
        Assert.Equal(1, NewSequenceAssigner.KMedoids([[1, 2, 3], [4, 5]]).Assign([-1, 4, 5]).Cluster);
    }

    [Fact]
    public void Single_lda_takes_the_most_probable_topic()
    {
        var choice = NewSequenceAssigner.SingleLda(K2).Assign([1, 2, 2]);
        Assert.Equal(1, choice.Cluster);
        Assert.Equal("most probable topic k2·T2 (0.93)", choice.Reason);
    }

    [Fact]
    public void K_means_takes_the_nearest_centroid_on_counts()
    {
        // [0,1,1] counts (1, 2): distance √5 to (0, 0), 1 to (2, 2).
        var choice = NewSequenceAssigner.KMeans([[0, 0], [2, 2]]).Assign([0, 1, 1]);
        Assert.Equal(1, choice.Cluster);
        Assert.Equal("nearest k-means centroid 2 (distance 1.00 on event counts)", choice.Reason);
    }

    [Fact]
    public void K_medoids_takes_the_nearest_medoid_by_edit_distance()
    {
        // [4,5,6]: 3 edits from [1,2,3], 1 (insert 6) from [4,5].
        var choice = NewSequenceAssigner.KMedoids([[1, 2, 3], [4, 5]]).Assign([4, 5, 6]);
        Assert.Equal(1, choice.Cluster);
        Assert.Equal("nearest k-medoids medoid 2 (edit distance 1 to its 2 events)", choice.Reason);
    }

    [Fact]
    public void Global_sends_everything_to_the_global_model()
    {
        Assert.Null(NewSequenceAssigner.Global().Assign([1, 2]).Cluster);
    }
}
