using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace WebApp.Workers.RelationExtraction;

/// <summary>
/// A trained PCNN as one byte stream (for a database column): the magic "PCNN", a format version, a JSON
/// header (options, word dimension, relation names, vocabulary) and the weights in TorchSharp's format.
/// </summary>
public static class PcnnModelFile
{
    private const int Version = 1;
    private static readonly byte[] Magic = "PCNN"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Header(PcnnOptions Options, int WordDim, IReadOnlyList<string> Relations, IReadOnlyList<string> Words);

    public static void Save(PcnnTrainedModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        byte[] weights;
        using (var buffer = new MemoryStream())
        {
            model.Model.save(buffer); // closes the stream; ToArray still works
            weights = buffer.ToArray();
        }
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        var words = model.Vocabulary.Words.Skip(2).ToList(); // PAD and UNK are implied
        writer.Write(JsonSerializer.Serialize(new Header(model.Options, model.WordDim, model.Relations, words), Json));
        writer.Write((long)weights.Length);
        writer.Write(weights);
    }

    public static byte[] ToBytes(PcnnTrainedModel model)
    {
        using var stream = new MemoryStream();
        Save(model, stream);
        return stream.ToArray();
    }

    /// <summary>Reads a model written by <see cref="Save"/>, on <paramref name="device"/> (CPU when null), in eval mode.</summary>
    public static PcnnTrainedModel Load(Stream stream, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("Not a PCNN model file.");
        var version = reader.ReadInt32();
        if (version != Version) throw new InvalidDataException($"PCNN model file version {version}; this build reads {Version}.");
        var header = JsonSerializer.Deserialize<Header>(reader.ReadString(), Json)
            ?? throw new InvalidDataException("PCNN model file without a header.");
        var length = reader.ReadInt64();
        var bytes = reader.ReadBytes(checked((int)length));
        if (bytes.Length != length) throw new InvalidDataException("PCNN model file is truncated.");
        var vocabulary = new Vocabulary(header.Words);
        var model = new PcnnModel(vocabulary.Count, header.WordDim, header.Relations.Count, header.Options);
        try
        {
            using (var weights = new MemoryStream(bytes)) model.load(weights);
            if (device is not null) model.to(device);
            model.eval();
            return new PcnnTrainedModel(model, vocabulary, header.Relations, header.Options, header.WordDim);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public static PcnnTrainedModel FromBytes(byte[] bytes, Device? device = null)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Load(stream, device);
    }

    /// <summary>Writes to a temporary file and renames it, so an interrupted save never leaves a partial file.</summary>
    public static void SaveAtomically(PcnnTrainedModel model, string path)
    {
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary)) Save(model, file);
        File.Move(temporary, path, overwrite: true);
    }
}
