using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace WebApp.Domain.Sequences.Novelty;

/// <summary>
/// The weights of a next-event LSTM in a portable form (no TorchSharp): embedding <c>[Tokens × E]</c>, per layer
/// <c>W_ih [4H × in]</c>, <c>W_hh [4H × H]</c>, <c>b_ih</c>, <c>b_hh</c> <c>[4H]</c> with the gates in PyTorch's order
/// (input, forget, cell, output), and the output layer <c>W [Tokens × H]</c>, <c>b [Tokens]</c>; all row-major.
/// <see cref="ToBytes"/> writes a versioned little-endian file that <see cref="FromBytes"/> reads back.
/// </summary>
public sealed class NextEventWeights
{
    private const uint Magic = 0x5756454E; // "NEVW" read little-endian
    private const int FormatVersion = 1;

    public NextEventWeights(int datasetEvents, int embeddingSize, int hiddenSize, float[] embedding,
        IReadOnlyList<NextEventLstmLayer> layers, float[] outputWeight, float[] outputBias)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(datasetEvents);
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(outputWeight);
        ArgumentNullException.ThrowIfNull(outputBias);
        if (layers.Count < 1) throw new ArgumentException("At least one LSTM layer is needed.", nameof(layers));
        Vocabulary = new NextEventVocabulary(datasetEvents);
        EmbeddingSize = embeddingSize;
        HiddenSize = hiddenSize;
        var tokens = Vocabulary.Size;
        Check(embedding, tokens * embeddingSize, "embedding");
        for (var l = 0; l < layers.Count; l++)
        {
            var input = l == 0 ? embeddingSize : hiddenSize;
            Check(layers[l].InputWeight, 4 * hiddenSize * input, $"layer {l} W_ih");
            Check(layers[l].HiddenWeight, 4 * hiddenSize * hiddenSize, $"layer {l} W_hh");
            Check(layers[l].InputBias, 4 * hiddenSize, $"layer {l} b_ih");
            Check(layers[l].HiddenBias, 4 * hiddenSize, $"layer {l} b_hh");
        }
        Check(outputWeight, tokens * hiddenSize, "output W");
        Check(outputBias, tokens, "output b");
        Embedding = embedding;
        Layers = layers;
        OutputWeight = outputWeight;
        OutputBias = outputBias;
    }

    public NextEventVocabulary Vocabulary { get; }
    public int EmbeddingSize { get; }
    public int HiddenSize { get; }
    public int LayerCount => Layers.Count;
    public float[] Embedding { get; }
    public IReadOnlyList<NextEventLstmLayer> Layers { get; }
    public float[] OutputWeight { get; }
    public float[] OutputBias { get; }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            // BinaryWriter writes little-endian on every platform.
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(Vocabulary.DatasetEvents);
            writer.Write(EmbeddingSize);
            writer.Write(HiddenSize);
            writer.Write(LayerCount);
            WriteFloats(writer, Embedding);
            foreach (var layer in Layers)
            {
                WriteFloats(writer, layer.InputWeight);
                WriteFloats(writer, layer.HiddenWeight);
                WriteFloats(writer, layer.InputBias);
                WriteFloats(writer, layer.HiddenBias);
            }
            WriteFloats(writer, OutputWeight);
            WriteFloats(writer, OutputBias);
        }
        return stream.ToArray();
    }

    /// <exception cref="FormatException">Not a weights file of a known version, or truncated.</exception>
    public static NextEventWeights FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        try
        {
            if (reader.ReadUInt32() != Magic) throw new FormatException("Not a next-event model weights file.");
            var version = reader.ReadInt32();
            if (version != FormatVersion) throw new FormatException($"Weights format version {version} is not supported (expected {FormatVersion}).");
            var datasetEvents = reader.ReadInt32();
            var embeddingSize = reader.ReadInt32();
            var hiddenSize = reader.ReadInt32();
            var layerCount = reader.ReadInt32();
            if (datasetEvents < 0 || embeddingSize < 1 || hiddenSize < 1 || layerCount < 1 || layerCount > 16)
            {
                throw new FormatException("The weights file's header is invalid.");
            }
            var embedding = ReadFloats(reader);
            var layers = new List<NextEventLstmLayer>();
            for (var l = 0; l < layerCount; l++)
            {
                layers.Add(new NextEventLstmLayer(ReadFloats(reader), ReadFloats(reader), ReadFloats(reader), ReadFloats(reader)));
            }
            var outputWeight = ReadFloats(reader);
            var outputBias = ReadFloats(reader);
            if (reader.BaseStream.Position != reader.BaseStream.Length) throw new FormatException("The weights file has trailing bytes.");
            return new NextEventWeights(datasetEvents, embeddingSize, hiddenSize, embedding, layers, outputWeight, outputBias);
        }
        catch (EndOfStreamException)
        {
            throw new FormatException("The weights file is truncated.");
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"The weights file is inconsistent: {e.Message}");
        }
    }

    private static void Check(float[] values, int expected, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != expected) throw new ArgumentException($"{name} has {values.Length} values; {expected} expected.", name);
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (BitConverter.IsLittleEndian)
        {
            writer.Write(bytes);
            return;
        }
        foreach (var value in values) writer.Write(value);
    }

    private static float[] ReadFloats(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0 || (long)count * sizeof(float) > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new EndOfStreamException();
        }
        var bytes = reader.ReadBytes(count * sizeof(float));
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return values;
    }
}

/// <summary>One LSTM layer's weights, gates in PyTorch's order (i, f, g, o), row-major.</summary>
public sealed record NextEventLstmLayer(float[] InputWeight, float[] HiddenWeight, float[] InputBias, float[] HiddenBias);
