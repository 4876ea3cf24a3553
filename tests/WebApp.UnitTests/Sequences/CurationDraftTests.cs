using WebApp.Domain.Sequences;

namespace WebApp.UnitTests.Sequences;

public class CurationDraftTests
{
    // Topic ids 10, 11 (k=2) and 20, 21, 22 (k=3). Sequences 1…3 with these probabilities:
    private static readonly Dictionary<long, Dictionary<int, double>> Mixtures = new()
    {
        [1] = new() { [10] = 0.9, [11] = 0.1, [20] = 0.8, [21] = 0.1, [22] = 0.1 },
        [2] = new() { [10] = 0.3, [11] = 0.7, [20] = 0.1, [21] = 0.6, [22] = 0.3 },
        [3] = new() { [10] = 0.2, [11] = 0.8, [20] = 0.05, [21] = 0.15, [22] = 0.8 },
    };

    private static readonly long[] Sequences = [1, 2, 3];

    private static (int[] Category, float?[] Score) Assign(CurationDraft draft) =>
        draft.Assign(Sequences, Sequences.Select(s => (Func<int, double>?)(t => Mixtures[s].GetValueOrDefault(t))).ToArray());

    private static CurationDraft TwoCategories() => CurationDraft.Empty()
        .AddCategory("Alpha", "", [10])
        .AddCategory("Beta", "", [11, 22]);

    [Fact]
    public void An_empty_draft_has_only_Others_and_everything_goes_there()
    {
        var draft = CurationDraft.Empty();
        Assert.Equal([CurationDraft.OthersName], draft.Categories.Select(c => c.Name));
        Assert.Equal([0, 0, 0], Assign(draft).Category);
    }

    [Fact]
    public void Assignment_follows_the_rule_by_category_position_with_Others_first()
    {
        // Alpha = 10: 0.9, 0.3, 0.2; Beta = mean(11, 22): 0.1, 0.5, 0.8.
        var (category, score) = Assign(TwoCategories());
        Assert.Equal([1, 2, 2], category);
        Assert.Equal(0.9f, score[0]!.Value, 5);
        Assert.Equal(0.5f, score[1]!.Value, 5);

        var strict = TwoCategories().WithThreshold(0.6);
        Assert.Equal([1, 0, 2], Assign(strict).Category);
        Assert.Null(Assign(strict).Score[1]);
    }

    [Fact]
    public void A_sequence_moved_by_hand_keeps_its_place_whatever_the_topics_become()
    {
        var draft = TwoCategories().Move(1, 2).RemoveTopic(2, 22).AddTopic(1, 21);
        Assert.Equal(2, Assign(draft).Category[0]);
        Assert.Null(Assign(draft).Score[0]);
        // Deleting Alpha (position 1) shifts Beta to 1; the hand-moved sequence follows it.
        var deleted = draft.Delete(1);
        Assert.Equal([new ManualPlacement(1, 1)], deleted.Manual);
        // Deleting the category a sequence was moved into sends it back to the rule.
        Assert.Empty(deleted.Delete(1).Manual);
    }

    [Fact]
    public void Undo_restores_the_state_stored_before_a_step_exactly()
    {
        var before = TwoCategories().Move(3, 1).WithThreshold(0.45);
        var stored = before.ToJson();
        var after = before.Rename(2, "Gamma").Delete(1);

        var restored = CurationDraft.FromJson(stored);
        Assert.Equal(before.OthersThreshold, restored.OthersThreshold);
        Assert.Equal(before.Categories.Select(c => (c.Name, c.IsOthers, string.Join(',', c.TopicIds))),
            restored.Categories.Select(c => (c.Name, c.IsOthers, string.Join(',', c.TopicIds))));
        Assert.Equal(before.Manual, restored.Manual);
        Assert.Equal(Assign(before), Assign(restored), new AssignmentComparer());
        Assert.NotEqual(Assign(after).Category, Assign(restored).Category);
    }

    [Fact]
    public void Rules_of_a_draft_are_enforced_with_messages()
    {
        var draft = TwoCategories();
        Assert.Contains("needs a name", Assert.Throws<CurationRuleException>(() => draft.AddCategory("  ", "", [])).Message);
        Assert.Contains("already a category named", Assert.Throws<CurationRuleException>(() => draft.AddCategory("alpha", "", [])).Message);
        Assert.Contains("Others", Assert.Throws<CurationRuleException>(() => draft.Delete(0)).Message);
        Assert.Contains("Others", Assert.Throws<CurationRuleException>(() => draft.AddTopic(0, 20)).Message);
        Assert.Contains("already has", Assert.Throws<CurationRuleException>(() => draft.AddTopic(1, 10)).Message);
        Assert.Contains("does not have", Assert.Throws<CurationRuleException>(() => draft.RemoveTopic(1, 20)).Message);
        Assert.Contains("between 0 and 1", Assert.Throws<CurationRuleException>(() => draft.WithThreshold(1.5)).Message);
        Assert.Contains("no longer in the draft", Assert.Throws<CurationRuleException>(() => draft.PositionOf(12345)).Message);
        // Renaming to its own name in another case is fine.
        Assert.Equal("ALPHA", draft.Rename(1, "ALPHA").Categories[1].Name);
    }

    private sealed class AssignmentComparer : IEqualityComparer<(int[] Category, float?[] Score)>
    {
        public bool Equals((int[] Category, float?[] Score) x, (int[] Category, float?[] Score) y) =>
            x.Category.SequenceEqual(y.Category) && x.Score.SequenceEqual(y.Score);

        public int GetHashCode((int[] Category, float?[] Score) obj) => obj.Category.Length;
    }
}
