using System.Text.Json;
using WebApp.Domain.RelationExtraction.Text;
using WebApp.Workers.Import;

namespace WebApp.Workers.RelationExtraction.Import;

/// <summary>
/// OpenNRE JSONL, one candidate per line: "token" (pos = token indices, end exclusive) or "text" (pos = character
/// offsets, mapped to the tokens they overlap), "h"/"t" with "name", "id" (falls back to the name) and "pos",
/// optional "relation" (stored as a gold label; NA, no_relation and Other are NA) and optional "id" (the
/// candidate's external id). Identical token sequences share one sentence row, identical mentions one row.
/// </summary>
public static class OpenNreImporter
{
    public static async Task ImportAsync(ImportWriter writer, Stream stream, string fileName, ImportProgress progress,
        CancellationToken ct)
    {
        using var lines = new LineReader(stream, fileName);
        var linesBefore = writer.Counts.Lines;
        long? documentId = null;
        var sentenceIndex = 0;
        while (await lines.ReadLineAsync(ct) is { } line)
        {
            writer.Counts.Lines = linesBefore + lines.LineNumber;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var instance = Parse(lines, line);
            try
            {
                documentId ??= await writer.DocumentAsync(null, fileName, ct);
                var (sentenceId, isNew) = await writer.SentenceAsync(documentId.Value, sentenceIndex, instance.Tokens, dedupe: true, ct);
                if (isNew) sentenceIndex++;
                var head = await writer.EntityAsync(instance.Head.Id, instance.Head.Name, ct);
                var tail = await writer.EntityAsync(instance.Tail.Id, instance.Tail.Name, ct);
                var headMention = await writer.MentionAsync(sentenceId, head, instance.Head.Start, instance.Head.End, dedupe: true, ct);
                var tailMention = await writer.MentionAsync(sentenceId, tail, instance.Tail.Start, instance.Tail.End, dedupe: true, ct);
                var candidate = await writer.CandidateAsync(sentenceId, headMention, tailMention, head, tail, instance.ExternalId, ct);
                if (instance.Relation is { } relation)
                {
                    writer.Gold(candidate, await writer.RelationTypeAsync(relation, null, null, update: false, ct));
                }
            }
            catch (InvalidDataException e)
            {
                throw lines.Error(e.Message);
            }
            await writer.MaybeFlushAsync(ct);
            await progress(ct);
        }
        writer.Counts.Lines = linesBefore + lines.LineNumber;
    }

    internal sealed record Instance(string[] Tokens, Span Head, Span Tail, string? Relation, string? ExternalId);

    internal sealed record Span(string Id, string Name, int Start, int End);

    internal static Instance Parse(LineReader lines, string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw lines.Error("expected a JSON object");
            string[] tokens;
            List<Token>? textTokens = null;
            string? text = null;
            if (root.TryGetProperty("token", out var tokenArray) && tokenArray.ValueKind == JsonValueKind.Array)
            {
                tokens = [.. tokenArray.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String
                    ? t.GetString()!
                    : throw lines.Error("\"token\" must be an array of strings"))];
            }
            else if (root.TryGetProperty("text", out var textValue) && textValue.ValueKind == JsonValueKind.String)
            {
                text = textValue.GetString()!;
                textTokens = Tokenizer.Tokenize(text);
                tokens = [.. textTokens.Select(t => t.Text)];
            }
            else
            {
                throw lines.Error("expected \"token\" (an array of strings) or \"text\" (a string)");
            }
            if (tokens.Length == 0) throw lines.Error("the sentence has no tokens");
            var head = ParseEntity(lines, root, "h", tokens, textTokens, text);
            var tail = ParseEntity(lines, root, "t", tokens, textTokens, text);
            string? relation = null;
            if (root.TryGetProperty("relation", out var relationValue) && relationValue.ValueKind != JsonValueKind.Null)
            {
                relation = relationValue.ValueKind == JsonValueKind.String
                    ? relationValue.GetString()
                    : throw lines.Error("\"relation\" must be a string");
            }
            var externalId = root.TryGetProperty("id", out var idValue) ? JsonText.Scalar(idValue) : null;
            return new Instance(tokens, head, tail, relation, externalId);
        }
        catch (JsonException e)
        {
            throw lines.Error(JsonErrors.LineReason(e));
        }
    }

    private static Span ParseEntity(LineReader lines, JsonElement root, string property, string[] tokens, List<Token>? textTokens,
        string? text)
    {
        if (!root.TryGetProperty(property, out var entity) || entity.ValueKind != JsonValueKind.Object)
        {
            throw lines.Error($"expected an object \"{property}\"");
        }
        var name = entity.TryGetProperty("name", out var nameValue) && nameValue.ValueKind == JsonValueKind.String
            ? nameValue.GetString()!
            : "";
        var id = entity.TryGetProperty("id", out var idValue) ? JsonText.Scalar(idValue) : null;
        if (string.IsNullOrWhiteSpace(id)) id = name;
        if (string.IsNullOrWhiteSpace(id)) throw lines.Error($"\"{property}\" has neither \"id\" nor \"name\"");
        if (!entity.TryGetProperty("pos", out var pos) || pos.ValueKind != JsonValueKind.Array || pos.GetArrayLength() != 2
            || !pos[0].TryGetInt32(out var start) || !pos[1].TryGetInt32(out var end))
        {
            throw lines.Error($"\"{property}.pos\" must be [start, end]");
        }
        if (textTokens is null)
        {
            if (start < 0 || end <= start || end > tokens.Length)
            {
                throw lines.Error($"\"{property}.pos\" [{start}, {end}] is outside the {tokens.Length} tokens");
            }
        }
        else
        {
            if (start < 0 || end <= start || end > text!.Length)
            {
                throw lines.Error($"\"{property}.pos\" [{start}, {end}] is outside the {text!.Length} characters of \"text\"");
            }
            var first = textTokens.FindIndex(t => t.End > start);
            var last = textTokens.FindLastIndex(t => t.Start < end);
            if (first < 0 || last < first) throw lines.Error($"\"{property}.pos\" [{start}, {end}] covers no token");
            (start, end) = (first, last + 1);
        }
        if (name.Length == 0) name = string.Join(' ', tokens[start..end]);
        return new Span(id, name, start, end);
    }
}
