using WebApp.Domain.RelationExtraction.Labeling;

namespace WebApp.UnitTests;

public class LabelingKeysTests
{
    [Theory]
    [InlineData("1", 0)]
    [InlineData("9", 8)]
    [InlineData("a", 9)]
    [InlineData("b", 10)]
    [InlineData("d", 11)]
    [InlineData("z", 30)]
    public void Number_keys_and_then_letters_pick_the_listed_relations(string key, int position)
    {
        Assert.Equal(new LabelingAction(LabelingActionKind.Relation, position), LabelingKeys.Map(key, false, 31));
        Assert.Equal(key, LabelingKeys.KeyOf(position));
    }

    [Theory]
    [InlineData("0", false, LabelingActionKind.NoRelation)]
    [InlineData("n", false, LabelingActionKind.NoRelation)]
    [InlineData("N", false, LabelingActionKind.NoRelation)]
    [InlineData("Enter", false, LabelingActionKind.Accept)]
    [InlineData("s", false, LabelingActionKind.Skip)]
    [InlineData("u", false, LabelingActionKind.Undo)]
    [InlineData("z", true, LabelingActionKind.Undo)]
    [InlineData("Z", true, LabelingActionKind.Undo)]
    [InlineData("?", false, LabelingActionKind.ToggleUnsure)]
    [InlineData("c", false, LabelingActionKind.FocusComment)]
    [InlineData(".", false, LabelingActionKind.ToggleWhy)]
    public void Command_keys(string key, bool ctrl, LabelingActionKind kind) =>
        Assert.Equal(kind, LabelingKeys.Map(key, ctrl, 12).Kind);

    [Theory]
    [InlineData("4", false, 3)] // only three relations listed
    [InlineData("a", false, 9)] // letters start after nine relations
    [InlineData("c", true, 20)] // Ctrl+C copies
    [InlineData("1", true, 5)]
    [InlineData("Shift", false, 5)]
    [InlineData("Escape", false, 5)]
    [InlineData("", false, 5)]
    [InlineData(null, false, 5)]
    [InlineData("!", false, 5)]
    public void Other_keys_do_nothing(string? key, bool ctrl, int relations) =>
        Assert.Equal(LabelingAction.None, LabelingKeys.Map(key, ctrl, relations));

    [Fact]
    public void Command_letters_are_never_relation_keys()
    {
        var keys = Enumerable.Range(0, LabelingKeys.MaxRelations).Select(LabelingKeys.KeyOf).ToList();
        Assert.Equal(LabelingKeys.MaxRelations, keys.Distinct().Count());
        Assert.DoesNotContain("c", keys);
        Assert.DoesNotContain("n", keys);
        Assert.DoesNotContain("s", keys);
        Assert.DoesNotContain("u", keys);
        Assert.DoesNotContain("0", keys);
        Assert.Null(LabelingKeys.KeyOf(LabelingKeys.MaxRelations));
        Assert.Null(LabelingKeys.KeyOf(-1));
    }
}
