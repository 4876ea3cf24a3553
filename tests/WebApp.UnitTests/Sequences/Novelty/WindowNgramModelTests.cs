using WebApp.Domain.Sequences.Novelty;

namespace WebApp.UnitTests.Sequences.Novelty;

public class WindowNgramModelTests
{
    // Framed training windows of size 2: ^1 12 23 3$ and ^1 13 3$ → 5 distinct.
    private static readonly WindowNgramModel Pairs = WindowNgramModel.Fit([[1, 2, 3], [1, 3]]);

    [Fact]
    public void Training_windows_include_the_start_and_end_markers()
    {
        Assert.Equal(5, Pairs.KnownWindows);
        Assert.Equal(new WindowMismatch(0, 4), Pairs.Score([1, 2, 3]));
    }

    [Fact]
    public void A_session_that_stops_early_ends_with_an_unseen_window()
    {
        // ^1 12 known, 2$ never seen.
        var score = Pairs.Score([1, 2]);
        Assert.Equal(new WindowMismatch(1, 3), score);
        Assert.Equal(1.0 / 3, score.Score, 12);
        // ^2 never seen: sessions do not start with 2.
        Assert.Equal(new WindowMismatch(1, 3), Pairs.Score([2, 3]));
    }

    [Fact]
    public void Unknown_events_make_their_windows_unseen()
    {
        // ^1 known, 1? and ?3 unseen, 3$ known.
        Assert.Equal(new WindowMismatch(2, 4), Pairs.Score([1, -1, 3]));
    }

    [Fact]
    public void Longer_windows_and_sequences_shorter_than_the_window()
    {
        var triples = WindowNgramModel.Fit([[1, 2, 3]], window: 3);
        Assert.Equal(3, triples.KnownWindows);
        Assert.Equal(0, triples.Score([1, 2, 3]).Score);
        // The empty sequence framed is "^ $", shorter than 3: one window, never seen.
        Assert.Equal(new WindowMismatch(1, 1), triples.Score([]));
    }
}
