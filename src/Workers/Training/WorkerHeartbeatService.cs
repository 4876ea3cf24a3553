using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebApp.Domain.Training;

namespace WebApp.Workers.Training;

/// <summary>
/// Tells the database this worker process is alive: its row on start, a beat every
/// <see cref="WorkerOptions.HeartbeatIntervalSeconds"/>, and the stop on a graceful shutdown. A failed beat is
/// logged and tried again at the next one; it never stops the worker.
/// </summary>
public sealed class WorkerHeartbeatService(
    WorkerHeartbeatWriter writer, IOptions<WorkerOptions> options, TorchDevices devices, TimeProvider clock,
    ILogger<WorkerHeartbeatService> logger) : BackgroundService
{
    /// <summary>New for every process start.</summary>
    public Guid WorkerId { get; } = Guid.CreateVersion7();

    private string? _device;

    private TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(1, options.Value.HeartbeatIntervalSeconds));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var registered = false;
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                registered = registered && await writer.BeatAsync(WorkerId, stoppingToken);
                if (!registered)
                {
                    await writer.StartAsync(Describe(), stoppingToken);
                    registered = true;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Worker heartbeat failed ({Reason}); trying again in {Interval}.", e.Message, Interval);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await writer.StopAsync(WorkerId, timeout.Token);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not mark worker {WorkerId} stopped ({Reason}); it will show as dead.", WorkerId, e.Message);
        }
    }

    private WorkerHeartbeat Describe() => new()
    {
        Id = WorkerId,
        HostName = Environment.MachineName,
        ProcessId = Environment.ProcessId,
        // The retraining slot is listed too: the workers page shows where the expert loop can run.
        Queues = options.Value.RetrainWorkers > 0 ? [.. options.Value.EffectiveQueues, JobQueues.Retrain] : options.Value.EffectiveQueues,
        WorkerCount = options.Value.WorkerCount + options.Value.RetrainWorkers,
        Device = _device ??= DeviceDescription(devices.IsCuda, devices.Threads, devices.IsCuda ? QueryGpus() : null),
        Version = ShortVersion(Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? Assembly.GetExecutingAssembly().GetName().Version?.ToString() ?? ""),
        IntervalSeconds = (int)Interval.TotalSeconds,
    };

    /// <summary>
    /// "CPU, N threads"; on CUDA the GPUs as <c>nvidia-smi --query-gpu=name,memory.total --format=csv,noheader</c>
    /// prints them (TorchSharp tells neither name nor memory), or "CUDA" when that tool is missing.
    /// </summary>
    public static string DeviceDescription(bool cuda, int threads, string? nvidiaSmiOutput)
    {
        if (!cuda) return string.Create(CultureInfo.InvariantCulture, $"CPU, {threads} thread{(threads == 1 ? "" : "s")}");
        var gpus = (nvidiaSmiOutput ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',', StringSplitOptions.TrimEntries))
            .Where(fields => fields.Length == 2)
            .Select(fields => $"{fields[0]} ({fields[1]})")
            .ToList();
        return gpus.Count == 0 ? "CUDA" : "CUDA: " + string.Join("; ", gpus);
    }

    /// <summary>"1.0.0+b287e6447eb6…" (the SDK appends the full commit) as "1.0.0+b287e64".</summary>
    public static string ShortVersion(string informationalVersion)
    {
        var plus = informationalVersion.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 || informationalVersion.Length <= plus + 8 ? informationalVersion : informationalVersion[..(plus + 8)];
    }

    private string? QueryGpus()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=name,memory.total --format=csv,noheader")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd();
            return process.WaitForExit(5000) && process.ExitCode == 0 ? output : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            logger.LogInformation("nvidia-smi is not available ({Reason}); the device shows as CUDA only.", e.Message);
            return null;
        }
    }
}
