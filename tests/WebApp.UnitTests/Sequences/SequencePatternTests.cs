using WebApp.Domain.Sequences;

namespace WebApp.UnitTests.Sequences;

public class SequencePatternTests
{
    // Keys "5", "22", "11", "9" are events 0, 1, 2, 3; display name "open" is event 1.
    private static readonly Dictionary<string, int> Keys = new() { ["5"] = 0, ["22"] = 1, ["11"] = 2, ["9"] = 3, ["open"] = 1 };

    private static SequencePattern Parse(string text) => SequencePattern.Parse(text, t => Keys.TryGetValue(t, out var e) ? e : null);

    [Theory]
    [InlineData("22 5", new[] { 0, 1, 0, 2 }, 1, 2)]          // contiguous, anywhere
    [InlineData("5 ? 11", new[] { 3, 0, 1, 2 }, 1, 3)]         // ? is exactly one event
    [InlineData("5 ? 11", new[] { 0, 2 }, -1, 0)]              // ... never none
    [InlineData("5 * 11", new[] { 0, 2 }, 0, 2)]               // * may be empty
    [InlineData("5 * 11", new[] { 0, 1, 1, 3, 2, 2 }, 0, 5)]   // * spans a run; the shortest match
    [InlineData("^ 22", new[] { 0, 1 }, -1, 0)]                // anchored at the start
    [InlineData("^ 5 22", new[] { 0, 1 }, 0, 2)]
    [InlineData("11 $", new[] { 2, 0 }, -1, 0)]                // anchored at the end
    [InlineData("11 $", new[] { 2, 0, 2 }, 2, 1)]
    [InlineData("^ * $", new int[0], 0, 0)]
    [InlineData("open 11", new[] { 1, 2 }, 0, 2)]              // a display name stands for its event
    public void Matches_a_contiguous_stretch_with_wildcards_and_anchors(string pattern, int[] events, int start, int length)
    {
        var match = Parse(pattern).Match(events);
        if (start < 0) Assert.Null(match);
        else Assert.Equal((start, length), match);
    }

    [Fact]
    public void The_leftmost_match_wins()
    {
        Assert.Equal((1, 2), Parse("22 ?").Match([0, 1, 2, 1, 3]));
    }

    [Theory]
    [InlineData("", "Type at least one event")]
    [InlineData("^ $", "Type at least one event")]
    [InlineData("5 ^ 22", "^ may only come first")]
    [InlineData("5 $ 22", "^ may only come first")]
    [InlineData("5 404", "Unknown event '404'")]
    public void Bad_patterns_say_what_is_wrong(string pattern, string message)
    {
        var error = Assert.Throws<FormatException>(() => Parse(pattern));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Runs_in_a_row_collapse_to_one()
    {
        Assert.Equal(3, Parse("5 * * 11").Elements.Count);
    }
}
