using System.Diagnostics;
using System.Text;
using WebApp.Testing;
using WebApp.Web.Identity;

namespace WebApp.IntegrationTests.Scripts;

/// <summary>
/// The README's <c>./run.sh</c> and its prerequisites check, run from a copy of the scripts with stand-ins for
/// <c>dotnet</c> and <c>curl</c> (a stand-in build, worker and web that only sleep) and a configured database, so no
/// PostgreSQL, build or browser is involved.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunScriptTests : IDisposable
{
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(10);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("run-script");

    public RunScriptTests()
    {
        foreach (var file in new[] { "run.sh", "scripts/postgres.sh", "scripts/prerequisites.sh" })
        {
            var target = Path.Combine(_root.FullName, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(RepositoryPaths.Root, file), target);
        }
        Directory.CreateDirectory(Path.Combine(_root.FullName, "src", "Workers"));
        Directory.CreateDirectory(Path.Combine(_root.FullName, "src", "Web"));
        var bin = Directory.CreateDirectory(Path.Combine(_root.FullName, "stub-bin")).FullName;
        // Each stand-in logs its pid and arguments, then becomes the sleeping process (exec), so that pid is what run.sh holds.
        Stub(bin, "dotnet", """
            echo "$$ $*" >>"$STUB_LOG"
            case "$1" in
              build) if [ -n "${STUB_BUILD_SECONDS:-}" ]; then exec sleep "$STUB_BUILD_SECONDS"; fi; exit 0 ;;
              *) exec sleep 300 ;;
            esac
            """);
        Stub(bin, "curl", "exit 0");
        StubBin = bin;
    }

    private string StubBin { get; }
    private string Log => Path.Combine(_root.FullName, "stub.log");

    public void Dispose()
    {
        foreach (var pid in LoggedPids()) TryKill(pid);
        _root.Delete(recursive: true);
    }

    [Fact]
    public void The_banner_names_every_demo_user_the_web_seeds()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "run.sh"));
        var banner = script[script.IndexOf("cat <<MSG", StringComparison.Ordinal)..];
        Assert.All(SeedOptions.DemoUsers, user => Assert.Contains($"    {user.Email} ", banner, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_while_running_stops_the_worker_and_the_web_and_ends_the_script(string signal, int exitCode)
    {
        using var run = Start(buildSeconds: null);
        await WaitForAsync(() => run.Output.Contains("Ready:", StringComparison.Ordinal), "the banner", run);
        var children = LoggedPids().ToList();
        Assert.Equal(3, children.Count); // build, worker, web

        Signal(run.Process.Id, signal);

        Assert.True(run.Process.WaitForExit(StopWithin), $"run.sh still runs {StopWithin.TotalSeconds} s after SIG{signal}.\n{run.Output}");
        run.Process.WaitForExit(); // drains the redirected output
        Assert.Equal(exitCode, run.Process.ExitCode);
        await WaitForAsync(() => children.All(pid => !Alive(pid)), "the worker and the web to stop", run);
        Assert.Contains("Stopped.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sigterm_during_the_build_stops_at_once_and_starts_nothing_afterwards()
    {
        using var run = Start(buildSeconds: 120);
        await WaitForAsync(() => File.Exists(Log) && File.ReadAllText(Log).Contains(" build ", StringComparison.Ordinal), "the build", run);
        var build = LoggedPids().Single();

        Signal(run.Process.Id, "TERM");

        // bash runs a trap only after the foreground command: before, this waited for the whole build, then went on
        // to start the worker and the web after having "stopped".
        Assert.True(run.Process.WaitForExit(StopWithin), $"run.sh still runs {StopWithin.TotalSeconds} s after SIGTERM during the build.\n{run.Output}");
        run.Process.WaitForExit();
        await WaitForAsync(() => !Alive(build), "the build to stop", run);
        Assert.Single(File.ReadAllLines(Log));
        Assert.DoesNotContain("Ready:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_root_a_missing_package_stops_before_the_build_naming_the_command_that_installs_it()
    {
        // As root the check installs what is missing; as another user it may only say what to run.
        var check = "source scripts/prerequisites.sh; prerequisites_chromium=/nonexistent/chromium; prerequisites_ensure postgres chromium";
        var start = new ProcessStartInfo(Environment.UserName == "root" ? "runuser" : "bash")
        {
            WorkingDirectory = _root.FullName,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        if (Environment.UserName == "root")
        {
            _root.UnixFileMode |= UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            foreach (var folder in new[] { "scripts", "stub-bin" }) File.SetUnixFileMode(Path.Combine(_root.FullName, folder), (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(Path.Combine(_root.FullName, "scripts", "prerequisites.sh"), (UnixFileMode)0b110_100_100);
            foreach (var argument in new[] { "-u", "nobody", "--", "bash" }) start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(check);
        start.Environment["PATH"] = $"{StubBin}:/usr/local/bin:/usr/bin:/bin";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Missing packages: chromium.", error, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get update && sudo apt-get install -y chromium", error, StringComparison.Ordinal);
    }

    private sealed class ScriptRun(Process process, StringBuilder output) : IDisposable
    {
        public Process Process { get; } = process;
        public string Output { get { lock (output) return output.ToString(); } }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }

    private ScriptRun Start(int? buildSeconds)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(_root.FullName, "run.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = $"{StubBin}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["STUB_LOG"] = Log;
        start.Environment["STUB_BUILD_SECONDS"] = buildSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        start.Environment["ConnectionStrings__App"] = "Host=127.0.0.1;Database=unused";
        start.Environment["WEB_URL"] = "http://127.0.0.1:1";
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ScriptRun(process, output);
    }

    private static void Stub(string folder, string name, string body)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    private IEnumerable<int> LoggedPids() => File.Exists(Log)
        ? File.ReadAllLines(Log).Select(line => int.Parse(line.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture))
        : [];

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);

    // Only a stand-in that still sleeps: a pid from the log may belong to another process by now.
    private static void TryKill(int pid)
    {
        try
        {
            if (Alive(pid) && File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("sleep", StringComparison.Ordinal)) Process.GetProcessById(pid).Kill();
        }
        catch (IOException) { }
        catch (ArgumentException) { }
        catch (InvalidOperationException) { }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, ScriptRun run)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"Waited 30 s for {what}.\n{run.Output}");
            await Task.Delay(100);
        }
    }
}
