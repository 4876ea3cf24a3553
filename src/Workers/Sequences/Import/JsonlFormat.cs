using System.Globalization;
using System.Text.Json;
using WebApp.Domain.Sequences;
using WebApp.Workers.Import;

namespace WebApp.Workers.Sequences.Import;

/// <summary>
/// JSON lines: <c>{"id": "s1" or 17, "events": ["a", 3, …], "label": "normal" | "novel"}</c>, one object per line;
/// blank lines are skipped. Numbers keep their JSON text as key or id ("3", "17"). A label is stored as a known label,
/// apart from the sequence; other properties are ignored.
/// </summary>
public static class JsonlFormat
{
    public static async Task ImportAsync(ISequenceSink writer, LineReader lines, Func<CancellationToken, ValueTask> progress,
        CancellationToken ct)
    {
        var events = new List<int>(64);
        while (await lines.ReadLineAsync(ct) is { } line)
        {
            var number = lines.LineNumber;
            writer.Counts.Lines = number;
            if (string.IsNullOrWhiteSpace(line))
            {
                writer.Counts.BlankLines++;
                continue;
            }
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new ImportException(writer.FileName, number, JsonErrors.LineReason(e), e);
            }
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw Error(writer, number, $"expected a JSON object, found {Describe(root.ValueKind)}");
                if (!root.TryGetProperty("id", out var idElement)) throw Error(writer, number, "the object has no \"id\"");
                var id = idElement.ValueKind switch
                {
                    JsonValueKind.String => idElement.GetString()!,
                    JsonValueKind.Number => idElement.GetRawText(),
                    var kind => throw Error(writer, number, $"\"id\" must be a string or a number, found {Describe(kind)}"),
                };
                if (!root.TryGetProperty("events", out var eventsElement) || eventsElement.ValueKind != JsonValueKind.Array)
                {
                    throw Error(writer, number, "\"events\" must be an array of event strings or numbers");
                }
                events.Clear();
                var position = 0;
                foreach (var element in eventsElement.EnumerateArray())
                {
                    position++;
                    var token = element.ValueKind switch
                    {
                        JsonValueKind.String => element.GetString()!,
                        JsonValueKind.Number => element.GetRawText(),
                        var kind => throw Error(writer, number, string.Create(CultureInfo.InvariantCulture,
                            $"event {position} is {Describe(kind)}; events are strings or numbers")),
                    };
                    events.Add(writer.EventIndex(token, number));
                }
                KnownLabel? label = null;
                if (root.TryGetProperty("label", out var labelElement) && labelElement.ValueKind != JsonValueKind.Null)
                {
                    label = labelElement.ValueKind == JsonValueKind.String && LabelsFormat.TryParseLabel(labelElement.GetString()!, out var known)
                        ? known
                        : throw Error(writer, number, $"\"label\" must be \"normal\" or \"novel\", found {labelElement.GetRawText()}");
                }
                await writer.AddAsync(id, number, [.. events], null, label, ct);
            }
            await progress(ct);
        }
    }

    private static ImportException Error(ISequenceSink writer, long line, string reason) => new(writer.FileName, line, reason);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
