using System.Diagnostics;
using System.Text;

namespace WebApp.Testing;

/// <summary>
/// The web or a worker as a real child process, run from its build output (same configuration as the tests),
/// with its output kept for the failure message.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process) => _process = process;

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="project">The project folder under the repository root, e.g. <c>src/Web</c>.</param>
    /// <param name="assembly">The assembly name, e.g. <c>WebApp.Web</c>.</param>
    public static AppProcess Start(string project, string assembly, IEnumerable<string> arguments, IDictionary<string, string> environment)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";
        var projectDirectory = Path.Combine(RepositoryPaths.Root, project);
        var dll = Path.Combine(projectDirectory, "bin", configuration, "net10.0", assembly + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build {project} first ({configuration}).", dll);

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectDirectory, // so appsettings.json is found
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var app = new AppProcess(process);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Kills the process outright, as a crash or an OOM kill would.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
