using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Logging;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WebApp.Domain.Training;

/// <summary>
/// Hangfire storage shared by web and workers. Only workers create the schema; two processes creating it
/// at once on a fresh database race and log errors.
/// </summary>
public static class HangfireStorage
{
    public const string Schema = "hangfire";

    /// <summary>
    /// Registers Hangfire with this host's own storage instance. Hangfire's global JobStorage.Current is one
    /// per process; the dashboard, the client and the server resolve the storage registered here instead, so
    /// two hosts in one process (as in tests) never reach each other's database.
    /// </summary>
    /// <param name="invisibilityTimeout">How long a job fetched by a worker that died stays invisible to the others (default 2 min).</param>
    public static IServiceCollection AddAppHangfire(this IServiceCollection services, string connectionString, bool ownsSchema,
        TimeSpan? invisibilityTimeout = null)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = ownsSchema,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
            // A running job keeps extending its lease; when its worker dies, another worker takes the job
            // over after this long instead of after the default 30 minutes.
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = invisibilityTimeout ?? TimeSpan.FromMinutes(2),
        };
        services.AddSingleton<JobStorage>(provider =>
        {
            provider.GetRequiredService<IGlobalConfiguration>(); // applies the serializer settings below first
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
        });
        return services.AddHangfire((provider, configuration) => configuration
            .UseLogProvider(new DisposalTolerantLogProvider(new AspNetCoreLogProvider(provider.GetRequiredService<ILoggerFactory>())))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
    }

    /// <summary>
    /// Hangfire's log provider is process-wide and holds the last host's logger factory. When that host stops
    /// while another one in the process still enqueues (as in tests), logging must not fail the enqueue.
    /// </summary>
    private sealed class DisposalTolerantLogProvider(ILogProvider inner) : ILogProvider
    {
        public ILog GetLogger(string name)
        {
            try
            {
                return inner.GetLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return new SilentLog();
            }
        }
    }

    private sealed class SilentLog : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
