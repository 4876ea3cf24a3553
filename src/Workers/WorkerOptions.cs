namespace WebApp.Workers;

/// <summary>Configuration section <c>Worker</c>: what this worker process serves.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>
    /// Hangfire queues to take jobs from, in priority order; a GPU machine sets <c>["gpu"]</c>. Empty means
    /// <c>default</c> (an initialised array would have configuration appended to it, not replace it).
    /// </summary>
    public string[] Queues { get; set; } = [];

    public string[] EffectiveQueues => Queues.Length > 0 ? Queues : ["default"];

    /// <summary>Jobs run at once in this process from <see cref="Queues"/>.</summary>
    public int WorkerCount { get; set; } = 1;

    /// <summary>
    /// Slots kept for automatic retraining (the <c>retrain</c> queue) on top of <see cref="WorkerCount"/>, so the
    /// expert loop never waits behind a long study; 0 on a machine that should not take retraining.
    /// </summary>
    public int RetrainWorkers { get; set; } = 1;

    /// <summary>
    /// Torch intra-op threads. Two threads fighting another busy process for two cores ran ~11× slower
    /// than one, so the default leaves half the cores to the database and the web.
    /// </summary>
    public int? TorchThreads { get; set; }

    /// <summary>Seconds between two heartbeats of this process (the <c>/admin/workers</c> page).</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 5;

    public static int DefaultTorchThreads => Math.Max(1, Environment.ProcessorCount / 2);
}
