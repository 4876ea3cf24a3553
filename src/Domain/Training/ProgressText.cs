using System.Globalization;

namespace WebApp.Domain.Training;

/// <summary>
/// Progress in the units a person counts, for a job run's message: the run's step and total drive the bar and can be
/// percent or batches over all epochs, so the message is where "3.1/12 MB read" or "epoch 3/30 · step 120/400" is said.
/// </summary>
public static class ProgressText
{
    /// <summary>Bytes read of a total, both in the total's unit: "3.1/12 MB read", "120/450 kB read".</summary>
    public static string BytesRead(long read, long total)
    {
        var (divisor, unit) = Math.Max(read, total) switch
        {
            >= 1L << 30 => (1024d * 1024 * 1024, "GB"),
            >= 1L << 20 => (1024d * 1024, "MB"),
            >= 1L << 10 => (1024d, "kB"),
            _ => (1d, "bytes"),
        };
        return $"{Number(read / divisor)}/{Number(total / divisor)} {unit} read";
    }

    // Two significant figures for small numbers (0.5, 3.1), whole numbers from 10 on (12, 450).
    private static string Number(double value) =>
        value.ToString(value < 10 ? "0.#" : "N0", CultureInfo.InvariantCulture);
}
