using System.Runtime.CompilerServices;

namespace WebApp.IntegrationTests;

internal static class HangfireStatics
{
    /// <summary>
    /// Hangfire's global job filters take their loggers from the log provider of whichever host configured
    /// Hangfire last. When a test host that has already been disposed is that host, the filters' type
    /// initializer fails for the rest of the process (ObjectDisposedException: LoggerFactory), and every page
    /// or test that resolves an <c>IBackgroundJobClient</c> afterwards fails with it. Initialising the statics
    /// once, before any host exists, keeps the outcome independent of the order in which test classes run.
    /// </summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Test assembly: must run before any test host configures Hangfire.")]
    internal static void Initialize() => _ = Hangfire.Common.JobFilterProviders.Providers;
}
