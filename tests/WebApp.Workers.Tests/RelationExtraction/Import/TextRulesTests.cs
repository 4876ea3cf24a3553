using WebApp.Domain.RelationExtraction.Text;

namespace WebApp.Workers.Tests.RelationExtraction.Import;

public sealed class TextRulesTests
{
    private static string Tokens(string text) => string.Join(' ', Tokenizer.TokenTexts(text));

    [Theory]
    [InlineData("In June 1987, the four-lane bridge cost $1,000.5 million.",
        "In June 1987 , the four - lane bridge cost $ 1,000.5 million .")]
    [InlineData("Mr. Smith met Dr. J. Jones in the U.S. on Monday.", "Mr. Smith met Dr. J. Jones in the U.S. on Monday .")]
    [InlineData("I don't know John's car (e.g. a Ford).", "I do n't know John 's car ( e.g. a Ford ) .")]
    [InlineData("O'Brien said \"wait...\" in the 1980s!", "O'Brien said \" wait ... \" in the 1980s !")]
    [InlineData("state-of-the-art, 3.5% and 10:30", "state - of - the - art , 3.5 % and 10 : 30")]
    [InlineData("Café Zürich naïve", "Café Zürich naïve")]
    public void Tokenizer_splits_like_ptb_and_fewrel(string text, string expected) => Assert.Equal(expected, Tokens(text));

    [Fact]
    public void Tokens_carry_their_character_offsets()
    {
        const string text = "Paris, France.";
        var tokens = Tokenizer.Tokenize(text);
        Assert.All(tokens, t => Assert.Equal(t.Text, text[t.Start..t.End]));
        Assert.Equal([0, 5, 7, 13], tokens.Select(t => t.Start));
    }

    [Fact]
    public void Sentences_end_at_terminal_punctuation_before_a_capital_digit_or_quote_but_not_after_abbreviations()
    {
        const string text = "Mr. Smith went to Washington. He met Dr. Jones in the U.S. Army base! Did he? \"Yes.\" 2020 was a year. "
            + "J. K. Rowling wrote it e.g. in Edinburgh. the end";
        var sentences = SentenceSplitter.Split(text).Select(s => string.Join(' ', s.Select(t => t.Text))).ToList();
        Assert.Equal(
        [
            "Mr. Smith went to Washington .",
            "He met Dr. Jones in the U.S. Army base !",
            "Did he ?",
            "\" Yes . \"",
            "2020 was a year .",
            "J. K. Rowling wrote it e.g. in Edinburgh . the end",
        ], sentences);
    }

    [Fact]
    public void Text_without_terminal_punctuation_is_one_sentence_and_empty_text_none()
    {
        Assert.Single(SentenceSplitter.Split("no full stop here"));
        Assert.Empty(SentenceSplitter.Split("   "));
    }

    private static EntityNameMatcher Matcher()
    {
        var matcher = new EntityNameMatcher();
        matcher.Add("Paris", 1);
        matcher.Add("Paris Hilton", 2);
        matcher.Add("New York", 3);
        matcher.Add("New York City", 4);
        matcher.Add("York", 5);
        matcher.Add("York City Hall", 6);
        matcher.Add("Jean-Paul Sartre", 7);
        return matcher;
    }

    private static string Matches(string text)
    {
        var tokens = Tokenizer.TokenTexts(text);
        return string.Join("; ", Matcher().Match(tokens).Select(m => $"{string.Join(' ', tokens[m.Start..m.End])}={m.EntityId}"));
    }

    [Fact]
    public void Matching_is_case_insensitive_multi_token_and_longest_first()
    {
        Assert.Equal("paris hilton=2; NEW YORK CITY=4; York=5", Matches("paris hilton visited NEW YORK CITY and Parisian York."));
    }

    [Fact]
    public void Matching_respects_token_boundaries()
    {
        Assert.Equal("", Matches("Parisian Yorkshire newyork"));
        Assert.Equal("Paris=1", Matches("Paris's"));
    }

    [Fact]
    public void Overlapping_names_never_give_overlapping_mentions_leftmost_longest_wins()
    {
        // "New York City" and "York City Hall" overlap: the leftmost match is taken, then matching resumes after it.
        Assert.Equal("New York City=4", Matches("New York City Hall"));
        Assert.Equal("York City Hall=6; Paris=1", Matches("York City Hall, Paris"));
    }

    [Fact]
    public void Names_are_tokenised_like_the_text()
    {
        Assert.Equal("jean - paul sartre=7", Matches("jean-paul sartre wrote"));
        Assert.False(new EntityNameMatcher().Add("  ", 1));
    }
}
