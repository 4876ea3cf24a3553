using System.Numerics;
using System.Runtime.InteropServices;

namespace WebApp.Domain.Sequences.Novelty;

/// <summary>
/// A pure C# forward pass of a next-event LSTM, for scoring single sequences online (the web) without TorchSharp.
/// The first layer's input projection is precomputed per token (W_ih · embedding + both biases), so a step costs
/// one H × 4H product per layer plus the output layer. Thread-safe: each call has its own state.
/// </summary>
public sealed class LstmInference
{
    private readonly NextEventWeights _weights;
    private readonly int _hidden;
    private readonly int _tokens;
    private readonly float[] _firstLayerInput; // [tokens × 4H]
    private readonly float[][] _biases; // per layer b_ih + b_hh (layers ≥ 1; layer 0's is in _firstLayerInput)

    public LstmInference(NextEventWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _weights = weights;
        _hidden = weights.HiddenSize;
        _tokens = weights.Vocabulary.Size;
        var gates = 4 * _hidden;
        _biases = weights.Layers.Select(l => l.InputBias.Zip(l.HiddenBias, (a, b) => a + b).ToArray()).ToArray();
        _firstLayerInput = new float[_tokens * gates];
        var embeddingSize = weights.EmbeddingSize;
        var first = weights.Layers[0];
        for (var t = 0; t < _tokens; t++)
        {
            var embedding = weights.Embedding.AsSpan(t * embeddingSize, embeddingSize);
            for (var r = 0; r < gates; r++)
            {
                _firstLayerInput[t * gates + r] = Dot(first.InputWeight.AsSpan(r * embeddingSize, embeddingSize), embedding) + _biases[0][r];
            }
        }
    }

    public NextEventVocabulary Vocabulary => _weights.Vocabulary;

    /// <summary>
    /// Log-probabilities of every next token after each input token: row-major <c>[inputs × Vocabulary.Size]</c>.
    /// </summary>
    public float[] LogProbabilities(ReadOnlySpan<int> inputs)
    {
        var gates = 4 * _hidden;
        var layers = _weights.Layers;
        var hidden = new float[layers.Count][];
        var cells = new float[layers.Count][];
        for (var l = 0; l < layers.Count; l++)
        {
            hidden[l] = new float[_hidden];
            cells[l] = new float[_hidden];
        }
        var preactivation = new float[gates];
        var output = new float[inputs.Length * _tokens];
        for (var step = 0; step < inputs.Length; step++)
        {
            var token = inputs[step];
            if ((uint)token >= (uint)_tokens) throw new ArgumentOutOfRangeException(nameof(inputs), $"Token {token} is outside the vocabulary.");
            for (var l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                if (l == 0)
                {
                    _firstLayerInput.AsSpan(token * gates, gates).CopyTo(preactivation);
                }
                else
                {
                    var below = hidden[l - 1];
                    for (var r = 0; r < gates; r++) preactivation[r] = Dot(layer.InputWeight.AsSpan(r * _hidden, _hidden), below) + _biases[l][r];
                }
                var h = hidden[l];
                for (var r = 0; r < gates; r++) preactivation[r] += Dot(layer.HiddenWeight.AsSpan(r * _hidden, _hidden), h);
                var c = cells[l];
                for (var j = 0; j < _hidden; j++)
                {
                    var inputGate = Sigmoid(preactivation[j]);
                    var forgetGate = Sigmoid(preactivation[_hidden + j]);
                    var candidate = MathF.Tanh(preactivation[2 * _hidden + j]);
                    var outputGate = Sigmoid(preactivation[3 * _hidden + j]);
                    c[j] = forgetGate * c[j] + inputGate * candidate;
                    h[j] = outputGate * MathF.Tanh(c[j]);
                }
            }
            var top = hidden[^1];
            var row = output.AsSpan(step * _tokens, _tokens);
            var max = float.NegativeInfinity;
            for (var t = 0; t < _tokens; t++)
            {
                row[t] = Dot(_weights.OutputWeight.AsSpan(t * _hidden, _hidden), top) + _weights.OutputBias[t];
                max = MathF.Max(max, row[t]);
            }
            double sum = 0;
            for (var t = 0; t < _tokens; t++) sum += Math.Exp(row[t] - max);
            var logNormaliser = max + (float)Math.Log(sum);
            for (var t = 0; t < _tokens; t++) row[t] -= logNormaliser;
        }
        return output;
    }

    /// <summary>Perplexity, per-event surprise and top-g misses of a sequence of dataset events (−1: unknown).</summary>
    public NextEventScore Score(IReadOnlyList<int> events, int topG = NoveltyMath.DefaultTopG)
    {
        ArgumentNullException.ThrowIfNull(events);
        var vocabulary = _weights.Vocabulary;
        return NoveltyMath.Score(LogProbabilities(vocabulary.Inputs(events)), vocabulary, vocabulary.Targets(events), topG);
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var vectorsA = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vectorsB = MemoryMarshal.Cast<float, Vector<float>>(b);
            var accumulator = Vector<float>.Zero;
            for (var v = 0; v < vectorsA.Length; v++) accumulator += vectorsA[v] * vectorsB[v];
            sum = Vector.Sum(accumulator);
            i = vectorsA.Length * Vector<float>.Count;
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
