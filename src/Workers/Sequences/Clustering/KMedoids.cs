namespace WebApp.Workers.Sequences.Clustering;

/// <summary>A k-medoids partition: the medoids (point indexes) and each point's medoid position (0…k−1).</summary>
public sealed record MedoidPartition(int[] Medoids, int[] Labels, double Cost, int Swaps);

/// <summary>
/// Weighted k-medoids (PAM): BUILD picks medoids greedily, SWAP then exchanges a medoid with a non-medoid while that
/// lowers the weighted sum of distances to the nearest medoid (best exchange per pass, with the FastPAM1 shortcut
/// that prices all k exchanges for a candidate in one sweep). Deterministic: ties go to the lower index.
/// </summary>
public static class KMedoids
{
    /// <param name="distances">Row-major n × n distances.</param>
    /// <param name="weights">Multiplicity of each point.</param>
    /// <param name="maxPasses">The most SWAP passes.</param>
    public static MedoidPartition Fit(float[] distances, IReadOnlyList<int> weights, int k, int maxPasses, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(distances);
        ArgumentNullException.ThrowIfNull(weights);
        var n = weights.Count;
        if (distances.Length != n * n) throw new ArgumentException("The distance matrix must be n × n.", nameof(distances));
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, "k must lie between 1 and the number of points.");

        var medoids = Build(distances, weights, n, k);
        var isMedoid = new bool[n];
        foreach (var m in medoids) isMedoid[m] = true;
        var nearest = new int[n];
        var nearestDistance = new double[n];
        var secondDistance = new double[n];
        Assign(distances, medoids, n, nearest, nearestDistance, secondDistance);

        var swaps = 0;
        var correction = new double[k];
        for (var pass = 0; pass < maxPasses; pass++)
        {
            ct.ThrowIfCancellationRequested();
            var bestDelta = -1e-9;
            int bestMedoid = -1, bestCandidate = -1;
            for (var o = 0; o < n; o++)
            {
                if (isMedoid[o]) continue;
                // Cost change of replacing medoid i by o = shared + correction[i] (see the class summary).
                Array.Clear(correction);
                double shared = 0;
                var row = o * n;
                for (var j = 0; j < n; j++)
                {
                    double d = distances[row + j];
                    var gain = Math.Min(d - nearestDistance[j], 0);
                    shared += weights[j] * gain;
                    correction[nearest[j]] += weights[j] * (Math.Min(d, secondDistance[j]) - nearestDistance[j] - gain);
                }
                for (var i = 0; i < k; i++)
                {
                    var delta = shared + correction[i];
                    if (delta < bestDelta)
                    {
                        bestDelta = delta;
                        bestMedoid = i;
                        bestCandidate = o;
                    }
                }
            }
            if (bestMedoid < 0) break;
            isMedoid[medoids[bestMedoid]] = false;
            medoids[bestMedoid] = bestCandidate;
            isMedoid[bestCandidate] = true;
            Assign(distances, medoids, n, nearest, nearestDistance, secondDistance);
            swaps++;
        }
        double cost = 0;
        for (var j = 0; j < n; j++) cost += weights[j] * nearestDistance[j];
        return new MedoidPartition(medoids, nearest, cost, swaps);
    }

    /// <summary>BUILD: the point with the least total distance first, then each time the point that lowers the cost most.</summary>
    private static int[] Build(float[] distances, IReadOnlyList<int> weights, int n, int k)
    {
        var medoids = new List<int>(k);
        var current = new double[n];
        Array.Fill(current, double.PositiveInfinity);
        var chosen = new bool[n];
        for (var step = 0; step < k; step++)
        {
            var best = -1;
            var bestCost = double.PositiveInfinity;
            for (var candidate = 0; candidate < n; candidate++)
            {
                if (chosen[candidate]) continue;
                double cost = 0;
                var row = candidate * n;
                for (var j = 0; j < n; j++) cost += weights[j] * Math.Min(current[j], distances[row + j]);
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = candidate;
                }
            }
            chosen[best] = true;
            medoids.Add(best);
            var bestRow = best * n;
            for (var j = 0; j < n; j++) current[j] = Math.Min(current[j], distances[bestRow + j]);
        }
        return [.. medoids];
    }

    private static void Assign(float[] distances, int[] medoids, int n, int[] nearest, double[] nearestDistance, double[] secondDistance)
    {
        for (var j = 0; j < n; j++)
        {
            double first = double.PositiveInfinity, second = double.PositiveInfinity;
            var label = 0;
            for (var i = 0; i < medoids.Length; i++)
            {
                double d = distances[medoids[i] * n + j];
                if (d < first)
                {
                    second = first;
                    first = d;
                    label = i;
                }
                else if (d < second) second = d;
            }
            nearest[j] = label;
            nearestDistance[j] = first;
            // With one medoid nothing else can take a point over: removing it is priced as unbounded.
            secondDistance[j] = second;
        }
    }
}
