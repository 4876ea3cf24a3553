namespace WebApp.Domain.RelationExtraction.Text;

/// <summary>
/// Rule-based sentence splitting on the tokenizer's output: a sentence ends at . ! ? (with any closing quotes
/// or brackets glued to it) when whitespace and then a capital letter, a digit, an opening quote or bracket
/// follow. Abbreviations (Mr., e.g., U.S., initials) never end a sentence because the tokenizer keeps their
/// period inside the token.
/// </summary>
public static class SentenceSplitter
{
    /// <summary>Splits a text into sentences, each as its tokens.</summary>
    public static List<List<Token>> Split(string text) => Split(Tokenizer.Tokenize(text));

    /// <summary>Groups tokens (with offsets from one text) into sentences.</summary>
    public static List<List<Token>> Split(List<Token> tokens)
    {
        var sentences = new List<List<Token>>();
        var start = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!IsTerminal(tokens[i].Text)) continue;
            var end = i + 1;
            while (end < tokens.Count && tokens[end].Start == tokens[end - 1].End
                   && (IsTerminal(tokens[end].Text) || IsClosing(tokens[end].Text)))
            {
                end++;
            }
            if (end < tokens.Count && (tokens[end].Start == tokens[end - 1].End || !StartsSentence(tokens[end].Text)))
            {
                continue;
            }
            sentences.Add(tokens.GetRange(start, end - start));
            start = end;
            i = end - 1;
        }
        if (start < tokens.Count) sentences.Add(tokens.GetRange(start, tokens.Count - start));
        return sentences;
    }

    private static bool IsTerminal(string token) => token.Length > 0 && token.All(c => c is '.' or '!' or '?');

    private static bool IsClosing(string token) =>
        token is "\"" or "'" or ")" or "]" or "}" or "\u201D" or "\u2019" or "''" or "\u00BB";

    private static bool StartsSentence(string token)
    {
        var c = token[0];
        return char.IsUpper(c) || char.IsDigit(c) || c is '"' or '\'' or '(' or '[' or '\u201C' or '\u2018' or '\u00AB' or '`';
    }
}
