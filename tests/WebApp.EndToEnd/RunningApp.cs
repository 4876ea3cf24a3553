using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using WebApp.Testing;

namespace WebApp.EndToEnd;

/// <summary>
/// PostgreSQL database, the web and one worker as separate processes, and headless Chromium:
/// the application as a user meets it.
/// </summary>
public class RunningApp : IAsyncLifetime
{
    public const string Password = "E2e-Password-42!";
    /// <summary>Expert labels that queue a retraining in the end-to-end runs.</summary>
    public const int RetrainEveryLabels = 20;

    private readonly IReadOnlyDictionary<string, string> _webSettings;
    private readonly IReadOnlyDictionary<string, string> _workerSettings;
    private Dictionary<string, string> _webEnvironment = [];
    private Dictionary<string, string> _workerEnvironment = [];
    private string _earlierWebOutput = "";
    private string _earlierWorkerOutput = "";
    private IPlaywright? _playwright;

    public RunningApp() : this(new Dictionary<string, string>())
    {
    }

    /// <param name="webSettings">Environment variables for the web process on top of the defaults (configuration overrides).</param>
    protected RunningApp(IReadOnlyDictionary<string, string> webSettings) : this(webSettings, new Dictionary<string, string>())
    {
    }

    /// <param name="workerSettings">Environment variables for the worker process on top of the defaults.</param>
    protected RunningApp(IReadOnlyDictionary<string, string> webSettings, IReadOnlyDictionary<string, string> workerSettings)
    {
        _webSettings = webSettings;
        _workerSettings = workerSettings;
    }

    public TestDatabase Database { get; private set; } = null!;
    public AppProcess Web { get; private set; } = null!;
    public AppProcess Worker { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(migrate: false);
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__App"] = Database.ConnectionString,
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Worker__TorchThreads"] = "1",
        };
        _workerEnvironment = new Dictionary<string, string>(environment);
        foreach (var (key, value) in _workerSettings) _workerEnvironment[key] = value;
        Worker = AppProcess.Start("src/Workers", "WebApp.Workers", ["serve"], _workerEnvironment);
        _webEnvironment = new Dictionary<string, string>(environment)
        {
            ["Seed__Demo"] = "true",
            ["Seed__DemoPassword"] = Password,
            ["Relations__RetrainEveryLabels"] = RetrainEveryLabels.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in _webSettings) _webEnvironment[key] = value;
        Web = AppProcess.Start("src/Web", "WebApp.Web", ["--urls", BaseUrl], _webEnvironment);

        await WaitForWebAsync();
        await WaitForAsync("the worker's Hangfire server", async () =>
            await Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server") > 0);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// Kills the web process with SIGKILL, as a crash or the OOM killer would: no shutdown, no disposal, open
    /// circuits and transactions cut off (.NET's Process.Kill on Unix). Returns once it is gone.
    /// </summary>
    public void KillWeb() => Web.Kill();

    /// <summary>Starts a new web process (after <see cref="KillWeb"/>) on the same database and address.</summary>
    public async Task RestartWebAsync()
    {
        Web.Kill();
        _earlierWebOutput += Web.Output + "--- web restarted ---\n";
        Web.Dispose();
        Web = AppProcess.Start("src/Web", "WebApp.Web", ["--urls", BaseUrl], _webEnvironment);
        await WaitForWebAsync();
    }

    /// <summary>Kills the worker process with SIGKILL, mid-job if it has one: no shutdown, its job left fetched.</summary>
    public void KillWorker() => Worker.Kill();

    /// <summary>Starts a new worker process (after <see cref="KillWorker"/>); returns once its heartbeat is stored.</summary>
    public async Task RestartWorkerAsync()
    {
        Worker.Kill();
        _earlierWorkerOutput += Worker.Output + "--- worker restarted ---\n";
        Worker.Dispose();
        Worker = AppProcess.Start("src/Workers", "WebApp.Workers", ["serve"], _workerEnvironment);
        await WaitForAsync("the new worker's heartbeat", async () =>
            await Database.ScalarAsync<long>($"SELECT count(*) FROM \"WorkerHeartbeats\" WHERE \"ProcessId\" = {Worker.Id} AND \"StoppedAt\" IS NULL") > 0);
    }

    private Task WaitForWebAsync() => WaitForAsync("the web to answer", async () =>
    {
        using var http = new HttpClient();
        return (await http.GetAsync($"{BaseUrl}/health")).StatusCode == HttpStatusCode.OK;
    });

    /// <summary>A fresh browser context (own cookies) with a page signed in as <paramref name="email"/>, once it is interactive.</summary>
    public async Task<IPage> SignInAsync(string email, string path = "/")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#sign-in");
        await page.WaitUntilInteractiveAsync();
        return page;
    }

    /// <summary>Saves a screenshot when E2E_SCREENSHOTS names a folder (for looking at the pages by eye).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("E2E_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    /// <summary>What the processes printed, for failure messages.</summary>
    public string Logs => $"--- web ---\n{_earlierWebOutput}{Web.Output}\n--- worker ---\n{_earlierWorkerOutput}{Worker.Output}";

    private async Task WaitForAsync(string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (Web.HasExited || Worker.HasExited) throw new InvalidOperationException($"A process exited while waiting for {what}.\n{Logs}");
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is HttpRequestException or Npgsql.NpgsqlException)
            {
                // not up yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Timed out waiting for {what}.\n{Logs}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Web?.Dispose();
        Worker?.Dispose();
        if (Database is not null) await Database.DisposeAsync();
    }
}
