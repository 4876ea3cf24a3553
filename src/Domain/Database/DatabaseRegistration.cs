using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;
using WebApp.Domain.Uploads;

namespace WebApp.Domain.Database;

public static class DatabaseRegistration
{
    /// <summary>The assembly that holds the EF Core migrations (the <c>migrations/</c> project).</summary>
    public const string MigrationsAssembly = "WebApp.Migrations";

    public static string GetAppConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("App") is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException(
                "No database configured: set ConnectionStrings:App (environment variable ConnectionStrings__App).");

    public static void ConfigureAppDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly));

    /// <summary>
    /// Registers a scoped <see cref="AppDbContext"/> (for Identity) and a factory for everything else:
    /// services create one context per operation because Blazor circuits outlive requests.
    /// </summary>
    public static IServiceCollection AddAppDatabase(this IServiceCollection services, string connectionString)
    {
        services.AddDbContext<AppDbContext>(o => o.ConfigureAppDatabase(connectionString),
            ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        services.AddDbContextFactory<AppDbContext>(o => o.ConfigureAppDatabase(connectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<AuditChainVerifier>();
        services.AddSingleton<JobRunReporter>();
        services.AddSingleton<WorkerHeartbeatWriter>();
        services.AddSingleton<UploadStore>();
        return services;
    }
}
