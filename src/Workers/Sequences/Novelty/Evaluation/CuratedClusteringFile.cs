using System.Globalization;
using System.Text.Json;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;

namespace WebApp.Workers.Sequences.Novelty.Evaluation;

/// <summary>
/// A curated clustering written down for the command line: categories as lists of topics of an LDA ensemble that
/// the evaluation refits (same training file, same seed, same settings as <c>seq cluster --method lda</c>), e.g.
/// <code>
/// { "ensembleSeed": 1, "minK": 2, "maxK": 8, "threshold": 0.3,
///   "categories": [ { "name": "Keys 3 and 4", "topics": ["k2:1"] }, { "name": "Backbone", "topics": ["k4:2", "k5:1"] } ] }
/// </code>
/// A topic is "k{topics of its model}:{topic number, 1-based}" ("k4:2" is the second topic of the k = 4 model, shown as
/// k4·T2). <c>minK</c>/<c>maxK</c> default to 2 and 8 (the ensemble the curator saw), <c>threshold</c> to 0.3: a sequence
/// whose best category scores below it goes to Others, which the global model scores.
/// </summary>
public sealed record CuratedClusteringFile(int EnsembleSeed, IReadOnlyList<CuratedCategoryEntry> Categories, double Threshold = CategoryAssignment.DefaultOthersThreshold,
    int MinK = 2, int MaxK = 8)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static CuratedClusteringFile Read(string path)
    {
        CuratedClusteringFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CuratedClusteringFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not a curated clustering file ({e.Message}).", e);
        }
        if (file?.Categories is not { Count: > 0 }) throw new FormatException($"{path}: no categories.");
        if (file.MinK < 2 || file.MaxK < file.MinK) throw new FormatException($"{path}: minK must be at least 2 and maxK at least minK.");
        if (file.Threshold is < 0 or > 1) throw new FormatException($"{path}: threshold must lie in [0, 1].");
        foreach (var category in file.Categories)
        {
            if (string.IsNullOrWhiteSpace(category.Name) || category.Topics is not { Count: > 0 })
                throw new FormatException($"{path}: every category needs a name and at least one topic.");
            foreach (var topic in category.Topics) file.Parse(topic);
        }
        return file;
    }

    /// <summary>"k4:2" → (k = 4, topic index 1), checked against the ensemble's range of k.</summary>
    public (int K, int TopicIndex) Parse(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var parts = topic.Trim().TrimStart('k', 'K').Split(':');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            && k >= MinK && k <= MaxK && number >= 1 && number <= k)
        {
            return (k, number - 1);
        }
        throw new FormatException($"Topic '{topic}' is not k{{K}}:{{1…K}} with K in {MinK}…{MaxK}.");
    }

    /// <summary>The categories over an ensemble whose models are k = MinK…MaxK in order.</summary>
    public IReadOnlyList<CuratedCategory> ToCategories() =>
        [.. Categories.Select(c => new CuratedCategory(c.Name, [.. c.Topics.Select(t =>
        {
            var (k, index) = Parse(t);
            return new TopicReference(k - MinK, index);
        })]))];
}

public sealed record CuratedCategoryEntry(string Name, IReadOnlyList<string> Topics);
