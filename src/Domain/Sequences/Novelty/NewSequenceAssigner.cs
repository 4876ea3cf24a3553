using System.Globalization;

namespace WebApp.Domain.Sequences.Novelty;

/// <summary>Where a new sequence goes: a cluster position (null = Others, scored by the global model) and why.</summary>
public sealed record ClusterChoice(int? Cluster, string Reason);

/// <summary>One topic model of an ensemble: its label (e.g. "k3") and its topics over the event types.</summary>
public sealed record EnsembleModel(string Label, IReadOnlyList<float[]> Topics);

/// <summary>A topic of the ensemble, by model position and topic index.</summary>
public sealed record TopicReference(int Model, int Topic);

/// <summary>A curated category: its name and the ensemble topics grouped into it.</summary>
public sealed record CuratedCategory(string Name, IReadOnlyList<TopicReference> Topics);

/// <summary>
/// Assigns sequences not seen in training to the clusters of a clustering, by the clustering's own rule. Events are
/// event-type indexes of the dataset; an index outside the vocabulary (e.g. −1 for an event never seen) is left out of
/// count- and topic-based rules and never matches in edit distances.
/// </summary>
public abstract class NewSequenceAssigner
{
    public abstract ClusterChoice Assign(IReadOnlyList<int> events);

    /// <summary>Everything to the global model.</summary>
    public static NewSequenceAssigner Global() => new GlobalAssigner();

    /// <summary>Curated categories of topics: fold the sequence into each model, score categories, threshold → Others.</summary>
    public static NewSequenceAssigner Curated(IReadOnlyList<EnsembleModel> ensemble, IReadOnlyList<CuratedCategory> categories,
        double othersThreshold) => new CuratedAssigner(ensemble, categories, othersThreshold);

    /// <summary>One LDA model: the most probable topic of the folded-in mixture is the cluster.</summary>
    public static NewSequenceAssigner SingleLda(EnsembleModel model) => new LdaAssigner(model);

    /// <summary>k-means on event counts: the nearest centroid (Euclidean) is the cluster.</summary>
    public static NewSequenceAssigner KMeans(IReadOnlyList<float[]> centroids) => new KMeansAssigner(centroids);

    /// <summary>k-medoids on edit distance: the nearest medoid sequence is the cluster (the first on a tie).</summary>
    public static NewSequenceAssigner KMedoids(IReadOnlyList<int[]> medoids) => new KMedoidsAssigner(medoids);

    /// <summary>Symmetric Dirichlet prior per topic when folding in: 0.5 spread over the k topics, as the LDA fits infer.</summary>
    public const double FoldInAlphaSum = 0.5;

    /// <summary>
    /// The sequence's topic mixture with the topics held fixed: EM on the mixture weights alone (each event's
    /// responsibility per topic, then the weights as the responsibilities summed plus the prior, normalised) until it
    /// moves less than 1e-7 or after 200 rounds. Events outside the vocabulary are left out; with none left the
    /// mixture is uniform.
    /// </summary>
    public static double[] FoldIn(IReadOnlyList<float[]> topics, IReadOnlyList<int> events, double alphaSum = FoldInAlphaSum)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(events);
        var k = topics.Count;
        var vocabulary = topics.Count == 0 ? 0 : topics[0].Length;
        var known = events.Where(e => e >= 0 && e < vocabulary).ToArray();
        var mixture = Enumerable.Repeat(1.0 / k, k).ToArray();
        if (known.Length == 0) return mixture;
        var alpha = alphaSum / k;
        var responsibility = new double[k];
        var next = new double[k];
        for (var round = 0; round < 200; round++)
        {
            Array.Clear(next);
            foreach (var e in known)
            {
                double total = 0;
                for (var t = 0; t < k; t++) total += responsibility[t] = mixture[t] * topics[t][e];
                // An event no topic gives any weight carries no information about the mixture.
                if (total <= 0) continue;
                for (var t = 0; t < k; t++) next[t] += responsibility[t] / total;
            }
            double sum = 0;
            for (var t = 0; t < k; t++) sum += next[t] += alpha;
            double change = 0;
            for (var t = 0; t < k; t++)
            {
                var value = next[t] / sum;
                change = Math.Max(change, Math.Abs(value - mixture[t]));
                mixture[t] = value;
            }
            if (change < 1e-7) break;
        }
        return mixture;
    }

    private static string UnknownNote(IReadOnlyList<int> events, int vocabulary)
    {
        var unknown = events.Count(e => e < 0 || e >= vocabulary);
        return unknown == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"; {unknown} unknown event(s) left out");
    }

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private sealed class GlobalAssigner : NewSequenceAssigner
    {
        public override ClusterChoice Assign(IReadOnlyList<int> events) => new(null, "one global model for every sequence");
    }

    private sealed class CuratedAssigner : NewSequenceAssigner
    {
        private readonly IReadOnlyList<EnsembleModel> _ensemble;
        private readonly IReadOnlyList<CuratedCategory> _categories;
        private readonly double _threshold;
        private readonly int[] _modelsUsed;

        public CuratedAssigner(IReadOnlyList<EnsembleModel> ensemble, IReadOnlyList<CuratedCategory> categories, double threshold)
        {
            ArgumentNullException.ThrowIfNull(ensemble);
            ArgumentNullException.ThrowIfNull(categories);
            foreach (var topic in categories.SelectMany(c => c.Topics))
            {
                if (topic.Model < 0 || topic.Model >= ensemble.Count || topic.Topic < 0 || topic.Topic >= ensemble[topic.Model].Topics.Count)
                    throw new ArgumentException($"Topic {topic} is not in the ensemble.", nameof(categories));
            }
            _ensemble = ensemble;
            _categories = categories;
            _threshold = threshold;
            _modelsUsed = [.. categories.SelectMany(c => c.Topics).Select(t => t.Model).Distinct().Order()];
        }

        public override ClusterChoice Assign(IReadOnlyList<int> events)
        {
            var mixtures = new Dictionary<int, double[]>();
            foreach (var m in _modelsUsed) mixtures[m] = FoldIn(_ensemble[m].Topics, events);
            // Each category's score is its topics' mean probability; CategoryAssignment then picks the winner (or Others).
            var scores = _categories.Select(c => c.Topics.Count == 0 ? 0 : c.Topics.Average(t => mixtures[t.Model][t.Topic])).ToArray();
            var (winner, _) = CategoryAssignment.Assign(
                [.. _categories.Select((c, i) => (IReadOnlyCollection<int>)(c.Topics.Count == 0 ? [] : [i]))], i => scores[i], _threshold);
            var vocabulary = _ensemble.Count == 0 ? 0 : _ensemble[0].Topics[0].Length;
            var best = scores.Length == 0 ? -1 : Array.IndexOf(scores, scores.Max());
            var threshold = string.Create(CultureInfo.InvariantCulture, $"threshold {F(_threshold)}");
            if (best < 0) return new ClusterChoice(null, $"no categories; Others{UnknownNote(events, vocabulary)}");
            var topics = string.Join(", ", _categories[best].Topics.Select(t => $"{_ensemble[t.Model].Label}·T{t.Topic + 1} {F(mixtures[t.Model][t.Topic])}"));
            var reason = $"category '{_categories[best].Name}' scored {F(scores[best])} (topics {topics}); {threshold}";
            return winner is null
                ? new ClusterChoice(null, $"best {reason}: below, so Others{UnknownNote(events, vocabulary)}")
                : new ClusterChoice(winner, reason + UnknownNote(events, vocabulary));
        }
    }

    private sealed class LdaAssigner(EnsembleModel model) : NewSequenceAssigner
    {
        public override ClusterChoice Assign(IReadOnlyList<int> events)
        {
            var mixture = FoldIn(model.Topics, events);
            var best = 0;
            for (var t = 1; t < mixture.Length; t++) if (mixture[t] > mixture[best]) best = t;
            return new ClusterChoice(best, $"most probable topic {model.Label}·T{best + 1} ({F(mixture[best])}){UnknownNote(events, model.Topics[0].Length)}");
        }
    }

    private sealed class KMeansAssigner(IReadOnlyList<float[]> centroids) : NewSequenceAssigner
    {
        public override ClusterChoice Assign(IReadOnlyList<int> events)
        {
            var vocabulary = centroids[0].Length;
            var counts = new double[vocabulary];
            foreach (var e in events) if (e >= 0 && e < vocabulary) counts[e]++;
            var best = 0;
            var bestDistance = double.PositiveInfinity;
            for (var c = 0; c < centroids.Count; c++)
            {
                double squares = 0;
                for (var e = 0; e < vocabulary; e++) squares += (counts[e] - centroids[c][e]) * (counts[e] - centroids[c][e]);
                if (squares < bestDistance)
                {
                    bestDistance = squares;
                    best = c;
                }
            }
            return new ClusterChoice(best, $"nearest k-means centroid {best + 1} (distance {F(Math.Sqrt(bestDistance))} on event counts){UnknownNote(events, vocabulary)}");
        }
    }

    private sealed class KMedoidsAssigner(IReadOnlyList<int[]> medoids) : NewSequenceAssigner
    {
        public override ClusterChoice Assign(IReadOnlyList<int> events)
        {
            // Unknown events become a value no medoid holds, so they always cost an edit.
            var sequence = events.Select(e => e < 0 ? int.MinValue : e).ToArray();
            var best = 0;
            var bestDistance = int.MaxValue;
            for (var m = 0; m < medoids.Count; m++)
            {
                var distance = EditDistance.Levenshtein(sequence, medoids[m]);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = m;
                }
            }
            return new ClusterChoice(best, string.Create(CultureInfo.InvariantCulture,
                $"nearest k-medoids medoid {best + 1} (edit distance {bestDistance} to its {medoids[best].Length} events)"));
        }
    }
}
