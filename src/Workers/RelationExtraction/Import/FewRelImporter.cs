using System.Text.Json;
using WebApp.Workers.Import;

namespace WebApp.Workers.RelationExtraction.Import;

/// <summary>
/// FewRel JSON: one object mapping a relation id (e.g. P177) to its instances
/// {"tokens": [...], "h": [name, id, [[i, j, ...], ...]], "t": [...]}. Streamed: a Utf8JsonReader walks the
/// outer object and array, and only one instance at a time is parsed into a JsonDocument, so memory does not
/// grow with the file. The first occurrence of an entity gives its span (first index to last index + 1);
/// the relation id is the candidate's gold label. Each instance counts as one line in the job's counts.
/// </summary>
public static class FewRelImporter
{
    public static async Task ImportAsync(ImportWriter writer, Stream stream, string fileName, ImportProgress progress,
        CancellationToken ct)
    {
        var parser = new Parser(fileName);
        var buffer = new byte[1 << 16];
        var length = 0;
        var final = false;
        var instances = new List<Instance>();
        long? documentId = null;
        var sentenceIndex = 0;
        var first = true;
        while (true)
        {
            if (!final)
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0) final = true;
                length += read;
            }
            var offset = 0;
            if (first && length >= 3)
            {
                first = false;
                if (buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF) offset = 3;
            }
            else if (first && final)
            {
                first = false;
            }
            if (first) continue;
            var consumed = offset + parser.Parse(buffer.AsSpan(offset, length - offset), final, instances);
            Array.Copy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;

            foreach (var instance in instances)
            {
                writer.Counts.Lines++;
                try
                {
                    documentId ??= await writer.DocumentAsync(null, fileName, ct);
                    var (sentenceId, isNew) = await writer.SentenceAsync(documentId.Value, sentenceIndex, instance.Tokens, dedupe: true, ct);
                    if (isNew) sentenceIndex++;
                    var head = await writer.EntityAsync(instance.Head.Id, instance.Head.Name, ct);
                    var tail = await writer.EntityAsync(instance.Tail.Id, instance.Tail.Name, ct);
                    var headMention = await writer.MentionAsync(sentenceId, head, instance.Head.Start, instance.Head.End, dedupe: true, ct);
                    var tailMention = await writer.MentionAsync(sentenceId, tail, instance.Tail.Start, instance.Tail.End, dedupe: true, ct);
                    var candidate = await writer.CandidateAsync(sentenceId, headMention, tailMention, head, tail, null, ct);
                    writer.Gold(candidate, await writer.RelationTypeAsync(instance.Relation, null, null, update: false, ct));
                }
                catch (InvalidDataException e)
                {
                    throw new ImportException(fileName, instance.Line, $"relation {instance.Relation}, instance {instance.Index + 1}: {e.Message}");
                }
                await writer.MaybeFlushAsync(ct);
                await progress(ct);
            }
            instances.Clear();
            if (parser.Done) return;
            if (final) throw new ImportException(fileName, parser.Line, "the file ends before the JSON object is closed");
        }
    }

    private sealed record Instance(string Relation, int Index, long Line, string[] Tokens, Entity Head, Entity Tail);

    private sealed record Entity(string Name, string Id, int Start, int End);

    private enum Phase
    {
        Start,
        Property,
        Array,
        Instances,
        Done,
    }

    /// <summary>The part that touches the reader (a ref struct, so no awaits here).</summary>
    private sealed class Parser(string fileName)
    {
        private JsonReaderState _state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        private Phase _phase = Phase.Start;
        private string _relation = "";
        private int _index;

        /// <summary>1-based line of the first byte not yet consumed.</summary>
        public long Line { get; private set; } = 1;

        public bool Done => _phase == Phase.Done;

        /// <summary>Reads whole tokens and instances from <paramref name="data"/>; returns how many bytes it consumed.</summary>
        public int Parse(ReadOnlySpan<byte> data, bool final, List<Instance> output)
        {
            var reader = new Utf8JsonReader(data, final, _state);
            var consumed = 0;
            var countedTo = 0;
            try
            {
                while (true)
                {
                    var checkpoint = reader.BytesConsumed;
                    var checkpointState = reader.CurrentState;
                    if (!reader.Read())
                    {
                        break;
                    }
                    switch (_phase)
                    {
                        case Phase.Start:
                            if (reader.TokenType != JsonTokenType.StartObject) throw Error(data, ref countedTo, checkpoint, "expected a JSON object of relations");
                            _phase = Phase.Property;
                            break;
                        case Phase.Property:
                            if (reader.TokenType == JsonTokenType.EndObject)
                            {
                                _phase = Phase.Done;
                                break;
                            }
                            _relation = reader.GetString()!;
                            _phase = Phase.Array;
                            break;
                        case Phase.Array:
                            if (reader.TokenType != JsonTokenType.StartArray)
                            {
                                throw Error(data, ref countedTo, checkpoint, $"expected an array of instances for relation {_relation}");
                            }
                            _phase = Phase.Instances;
                            _index = 0;
                            break;
                        case Phase.Instances:
                            if (reader.TokenType == JsonTokenType.EndArray)
                            {
                                _phase = Phase.Property;
                                break;
                            }
                            if (reader.TokenType != JsonTokenType.StartObject)
                            {
                                throw Error(data, ref countedTo, checkpoint, $"relation {_relation}, instance {_index + 1}: expected an object");
                            }
                            var line = LineAt(data, ref countedTo, (int)reader.TokenStartIndex);
                            if (!JsonDocument.TryParseValue(ref reader, out var document))
                            {
                                // Incomplete: rewind to before the instance and wait for more data.
                                _state = checkpointState;
                                return Advance(data, ref countedTo, (int)checkpoint);
                            }
                            using (document)
                            {
                                output.Add(ToInstance(document.RootElement, line));
                            }
                            _index++;
                            break;
                        case Phase.Done:
                            throw Error(data, ref countedTo, checkpoint, "unexpected content after the JSON object");
                    }
                    consumed = (int)reader.BytesConsumed;
                    _state = reader.CurrentState;
                }
            }
            catch (JsonException e)
            {
                var line = LineAt(data, ref countedTo, consumed) + (e.LineNumber ?? 0);
                throw new ImportException(fileName, line, $"invalid JSON: {e.Message}");
            }
            consumed = (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            return Advance(data, ref countedTo, consumed);
        }

        private int Advance(ReadOnlySpan<byte> data, ref int countedTo, int consumed)
        {
            Line = LineAt(data, ref countedTo, consumed);
            return consumed;
        }

        // Lines before position: counted incrementally from the start of this buffer.
        private long LineAt(ReadOnlySpan<byte> data, ref int countedTo, int position)
        {
            if (position <= countedTo) return Line;
            var newLines = data[countedTo..position].Count((byte)'\n');
            countedTo = position;
            Line += newLines;
            return Line;
        }

        private ImportException Error(ReadOnlySpan<byte> data, ref int countedTo, long position, string reason) =>
            new(fileName, LineAt(data, ref countedTo, (int)position), reason);

        private Instance ToInstance(JsonElement root, long line)
        {
            string Where() => $"relation {_relation}, instance {_index + 1}";
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("tokens", out var tokenArray) || tokenArray.ValueKind != JsonValueKind.Array)
            {
                throw new ImportException(fileName, line, $"{Where()}: expected \"tokens\" (an array of strings)");
            }
            var tokens = new string[tokenArray.GetArrayLength()];
            var i = 0;
            foreach (var token in tokenArray.EnumerateArray())
            {
                tokens[i++] = token.ValueKind == JsonValueKind.String
                    ? token.GetString()!
                    : throw new ImportException(fileName, line, $"{Where()}: \"tokens\" must be strings");
            }
            return new Instance(_relation, _index, line, tokens, Entity("h"), Entity("t"));

            Entity Entity(string property)
            {
                if (!root.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() < 3
                    || value[0].ValueKind != JsonValueKind.String || JsonText.Scalar(value[1]) is not { Length: > 0 } id
                    || value[2].ValueKind != JsonValueKind.Array || value[2].GetArrayLength() == 0
                    || value[2][0].ValueKind != JsonValueKind.Array || value[2][0].GetArrayLength() == 0)
                {
                    throw new ImportException(fileName, line, $"{Where()}: expected \"{property}\": [name, id, [[token indices], ...]]");
                }
                var occurrence = value[2][0];
                if (!occurrence[0].TryGetInt32(out var start) || !occurrence[occurrence.GetArrayLength() - 1].TryGetInt32(out var last)
                    || start < 0 || last < start || last >= tokens.Length)
                {
                    throw new ImportException(fileName, line, $"{Where()}: \"{property}\" token indices are outside the {tokens.Length} tokens");
                }
                return new Entity(value[0].GetString()!, id, start, last + 1);
            }
        }
    }
}
