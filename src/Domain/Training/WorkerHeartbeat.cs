namespace WebApp.Domain.Training;

public enum WorkerState
{
    /// <summary>Beat within the last three intervals.</summary>
    Alive,
    /// <summary>Missed a few beats: busy, paused or on its way out.</summary>
    Late,
    /// <summary>Said goodbye on a graceful shutdown.</summary>
    Stopped,
    /// <summary>Silent for long: killed, crashed or cut off from the database.</summary>
    Dead,
}

/// <summary>
/// One worker process as it reports itself (a row per process start, written by the worker every
/// <see cref="IntervalSeconds"/>). Hangfire keeps its own server list; this one is ours, with the device.
/// </summary>
public class WorkerHeartbeat
{
    /// <summary>Beats missed before a worker counts as late.</summary>
    public const int AliveIntervals = 3;
    /// <summary>Beats missed before a worker counts as dead.</summary>
    public const int LateIntervals = 12;
    /// <summary>Stopped and dead workers stay listed (and stored) this long after their last beat.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    /// <summary>New for every process start.</summary>
    public Guid Id { get; set; }
    public string HostName { get; set; } = "";
    public int ProcessId { get; set; }
    /// <summary>Hangfire queues served, in priority order.</summary>
    public string[] Queues { get; set; } = [];
    /// <summary>Jobs the process runs at once.</summary>
    public int WorkerCount { get; set; }
    /// <summary>"CPU, N threads" or the GPU's name and memory.</summary>
    public string Device { get; set; } = "";
    public string Version { get; set; } = "";
    public int IntervalSeconds { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    /// <summary>The run the process is working on at its last beat.</summary>
    public Guid? CurrentJobRunId { get; set; }
    public DateTime? StoppedAt { get; set; }

    /// <summary>How the process looks at <paramref name="now"/>, judged by its own beat interval.</summary>
    public WorkerState StateAt(DateTime now) => Classify(LastSeenAt, StoppedAt, TimeSpan.FromSeconds(IntervalSeconds), now);

    public static WorkerState Classify(DateTime lastSeenAt, DateTime? stoppedAt, TimeSpan interval, DateTime now)
    {
        if (stoppedAt is not null) return WorkerState.Stopped;
        var silence = now - lastSeenAt;
        if (silence < interval * AliveIntervals) return WorkerState.Alive;
        return silence < interval * LateIntervals ? WorkerState.Late : WorkerState.Dead;
    }
}
