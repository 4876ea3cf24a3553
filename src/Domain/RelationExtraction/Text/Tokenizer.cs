using System.Globalization;

namespace WebApp.Domain.RelationExtraction.Text;

/// <summary>A token and where it lies in its text: characters [Start, End).</summary>
public readonly record struct Token(string Text, int Start, int End);

/// <summary>
/// A rule-based English tokenizer in the style of PTB/FewRel: words and numbers (1,000.5 stays one token),
/// punctuation as separate tokens, hyphens split ("four - lane"), clitics split ("do n't", "John 's"),
/// case kept. Abbreviations (Mr., e.g., U.S., single capital initials) keep their period, which is also
/// what stops the <see cref="SentenceSplitter"/> there.
/// </summary>
public static class Tokenizer
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "vs", "etc", "inc", "ltd", "corp", "bros",
        "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "rev", "gov", "sen", "rep", "pres", "hon", "fig", "al",
        "approx", "dept", "univ", "vol", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "ca", "cf",
    };

    private static readonly string[] Clitics = ["s", "re", "ve", "ll", "d", "m"];

    /// <summary>Splits <paramref name="text"/> into tokens with their character offsets.</summary>
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                i++;
                continue;
            }
            if (char.IsDigit(c))
            {
                i = ReadNumber(text, i, tokens);
            }
            else if (IsWordChar(text, i))
            {
                i = ReadWord(text, i, tokens);
            }
            else if (IsApostrophe(c) && TryClitic(text, i, out var length))
            {
                tokens.Add(new Token(text.Substring(i, length), i, i + length));
                i += length;
            }
            else
            {
                var end = i + (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1);
                if (c is '.' or '-' or '!' or '?' or '=' or '*' or '_' or '`')
                {
                    while (end < text.Length && text[end] == c) end++;
                }
                tokens.Add(new Token(text[i..end], i, end));
                i = end;
            }
        }
        return tokens;
    }

    /// <summary>The tokens' texts only.</summary>
    public static string[] TokenTexts(string text) => [.. Tokenize(text).Select(t => t.Text)];

    private static bool IsWordChar(string text, int i)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
        return char.IsLetterOrDigit(text, i) || category is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
    }

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019';

    private static int ReadNumber(string text, int start, List<Token> tokens)
    {
        var i = start;
        while (i < text.Length)
        {
            if (char.IsDigit(text[i])) i++;
            else if (text[i] is ',' or '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])) i++;
            else break;
        }
        // 1980s, 3rd, 10km: letters glued to a number stay with it.
        while (i < text.Length && IsWordChar(text, i)) i++;
        tokens.Add(new Token(text[start..i], start, i));
        return i;
    }

    private static int ReadWord(string text, int start, List<Token> tokens)
    {
        // Acronyms with internal periods: U.S., e.g., i.e., U.S.A.
        var j = start;
        while (j + 1 < text.Length && char.IsLetter(text[j]) && text[j + 1] == '.') j += 2;
        if (j - start >= 4 && (j >= text.Length || !IsWordChar(text, j)))
        {
            tokens.Add(new Token(text[start..j], start, j));
            return j;
        }

        var i = start;
        while (true)
        {
            while (i < text.Length && IsWordChar(text, i)) i++;
            // An apostrophe inside a word: a clitic (don't → do n't, John's → John 's) or part of the name (O'Brien).
            if (i + 1 < text.Length && IsApostrophe(text[i]) && char.IsLetter(text[i + 1]))
            {
                if (i - 1 > start && text[i - 1] is 'n' or 'N' && text[i + 1] is 't' or 'T' && (i + 2 >= text.Length || !IsWordChar(text, i + 2)))
                {
                    tokens.Add(new Token(text[start..(i - 1)], start, i - 1));
                    tokens.Add(new Token(text.Substring(i - 1, 3), i - 1, i + 2));
                    return i + 2;
                }
                if (TryClitic(text, i, out _)) break;
                i++;
                continue;
            }
            break;
        }
        var word = text[start..i];
        if (i < text.Length && text[i] == '.' && (i + 1 >= text.Length || text[i + 1] != '.')
            && (Abbreviations.Contains(word) || (word.Length == 1 && char.IsUpper(word[0]))))
        {
            i++;
            word += ".";
        }
        tokens.Add(new Token(word, start, i));
        return i;
    }

    private static bool TryClitic(string text, int apostrophe, out int length)
    {
        foreach (var clitic in Clitics)
        {
            var end = apostrophe + 1 + clitic.Length;
            if (end <= text.Length && string.Compare(text, apostrophe + 1, clitic, 0, clitic.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (end == text.Length || !IsWordChar(text, end)))
            {
                length = clitic.Length + 1;
                return true;
            }
        }
        length = 0;
        return false;
    }
}
