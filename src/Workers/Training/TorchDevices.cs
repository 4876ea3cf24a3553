using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace WebApp.Workers.Training;

/// <summary>The device this worker trains on: CUDA when the build and the machine have it, else CPU.</summary>
public sealed class TorchDevices
{
    public TorchDevices(IOptions<WorkerOptions> options, ILogger<TorchDevices> logger)
    {
        Threads = options.Value.TorchThreads ?? WorkerOptions.DefaultTorchThreads;
        torch.set_num_threads(Threads);
        if (torch.cuda.is_available())
        {
            Device = torch.CUDA;
            IsCuda = true;
            Description = $"cuda ({torch.cuda.device_count()} device(s))";
        }
        else
        {
            Device = torch.CPU;
            Description = $"cpu ({Threads} thread{(Threads == 1 ? "" : "s")})";
        }
        logger.LogInformation("TorchSharp {Version} ready; training on {Device}.", torch.__version__, Description);
    }

    public torch.Device Device { get; }
    public string Description { get; }
    public bool IsCuda { get; }
    public int Threads { get; }
}
