using System.Text;
using System.Text.Json;
using WebApp.Domain.RelationExtraction.Text;
using WebApp.Workers.Import;

namespace WebApp.Workers.RelationExtraction.Import;

/// <summary>
/// A corpus: plain text (each block of lines between blank lines is a document, titled by its first line) or
/// JSONL (one {"id", "title", "text"} per line; detected by a first line starting with "{"). Documents are
/// split into sentences and tokens, the project's entity names and aliases are found by dictionary matching,
/// and every ordered pair of mentions of different entities in a sentence becomes a candidate in its bag.
/// Only sentences with a candidate are stored (with their position in the document).
/// </summary>
public static class CorpusImporter
{
    /// <summary>Largest plain-text document (characters between blank lines) accepted.</summary>
    public const int MaxDocumentLength = 16 << 20;

    public static async Task ImportAsync(ImportWriter writer, Stream stream, string fileName, ImportProgress progress,
        CancellationToken ct)
    {
        var dictionary = await writer.BuildDictionaryAsync(ct);
        if (dictionary.Count == 0)
        {
            throw new ImportException(fileName, null,
                "the project's knowledge base has no entities to find in the text: import a knowledge base first");
        }
        using var lines = new LineReader(stream, fileName);
        var linesBefore = writer.Counts.Lines;
        string? line;
        do line = await lines.ReadLineAsync(ct);
        while (line is not null && string.IsNullOrWhiteSpace(line));
        if (line is null) throw new ImportException(fileName, null, "the file is empty");

        if (line.TrimStart().StartsWith('{'))
        {
            for (; line is not null; line = await lines.ReadLineAsync(ct))
            {
                writer.Counts.Lines = linesBefore + lines.LineNumber;
                if (string.IsNullOrWhiteSpace(line)) continue;
                var (id, title, text) = ParseJsonLine(lines, line);
                await AddDocumentAsync(writer, dictionary, id, title, text, ct);
                await writer.MaybeFlushAsync(ct);
                await progress(ct);
            }
        }
        else
        {
            var block = new StringBuilder();
            string? title = null;
            for (; ; line = await lines.ReadLineAsync(ct))
            {
                writer.Counts.Lines = linesBefore + lines.LineNumber;
                if (line is null || string.IsNullOrWhiteSpace(line))
                {
                    if (block.Length > 0)
                    {
                        await AddDocumentAsync(writer, dictionary, null, title!, block.ToString(), ct);
                        await writer.MaybeFlushAsync(ct);
                        await progress(ct);
                        block.Clear();
                        title = null;
                    }
                    if (line is null) break;
                    continue;
                }
                title ??= line.Trim();
                if (block.Length + line.Length > MaxDocumentLength)
                {
                    throw lines.Error($"document longer than {MaxDocumentLength} characters (separate documents by blank lines)");
                }
                block.Append(line).Append('\n');
            }
        }
        writer.Counts.Lines = linesBefore + lines.LineNumber;
    }

    private static (string? Id, string Title, string Text) ParseJsonLine(LineReader lines, string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw lines.Error("expected a JSON object");
            if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                throw lines.Error("expected a string \"text\"");
            }
            var id = root.TryGetProperty("id", out var idValue) ? JsonText.Scalar(idValue) : null;
            var title = root.TryGetProperty("title", out var titleValue) && titleValue.ValueKind == JsonValueKind.String
                ? titleValue.GetString()!
                : id ?? FirstWords(text.GetString()!);
            return (id, title, text.GetString()!);
        }
        catch (JsonException e)
        {
            throw lines.Error(JsonErrors.LineReason(e));
        }
    }

    private static string FirstWords(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 100 ? trimmed : trimmed[..100] + "…";
    }

    private static async Task AddDocumentAsync(ImportWriter writer, EntityNameMatcher dictionary, string? externalId, string title,
        string text, CancellationToken ct)
    {
        long? documentId = null;
        var sentences = SentenceSplitter.Split(text);
        for (var index = 0; index < sentences.Count; index++)
        {
            var tokens = sentences[index].Select(t => t.Text).ToArray();
            var matches = dictionary.Match(tokens);
            if (matches.Count < 2 || matches.All(m => m.EntityId == matches[0].EntityId)) continue;
            documentId ??= await writer.DocumentAsync(externalId, title, ct);
            var (sentenceId, _) = await writer.SentenceAsync(documentId.Value, index, tokens, dedupe: false, ct);
            var mentions = new long[matches.Count];
            for (var m = 0; m < matches.Count; m++)
            {
                mentions[m] = await writer.MentionAsync(sentenceId, matches[m].EntityId, matches[m].Start, matches[m].End, dedupe: false, ct);
            }
            for (var h = 0; h < matches.Count; h++)
            {
                for (var t = 0; t < matches.Count; t++)
                {
                    if (matches[h].EntityId == matches[t].EntityId) continue;
                    await writer.CandidateAsync(sentenceId, mentions[h], mentions[t], matches[h].EntityId, matches[t].EntityId, null, ct);
                }
            }
        }
        documentId ??= await writer.DocumentAsync(externalId, title, ct);
    }
}

internal static class JsonText
{
    /// <summary>A string or number as text (ids may be either); null for anything else.</summary>
    public static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };
}
