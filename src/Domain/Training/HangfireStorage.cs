using Hangfire;
using Hangfire.PostgreSql;

namespace WebApp.Domain.Training;

/// <summary>
/// Hangfire storage shared by web and workers. Only workers create the schema; two processes creating it
/// at once on a fresh database race and log errors.
/// </summary>
public static class HangfireStorage
{
    public const string Schema = "hangfire";

    public static IGlobalConfiguration UseAppStorage(
        this IGlobalConfiguration configuration, string connectionString, bool ownsSchema) =>
        configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
            {
                SchemaName = Schema,
                PrepareSchemaIfNecessary = ownsSchema,
                QueuePollInterval = TimeSpan.FromSeconds(1),
                DistributedLockTimeout = TimeSpan.FromMinutes(1),
                // A running job keeps extending its lease; when its worker dies, another worker takes the job
                // over after this long instead of after the default 30 minutes.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(2),
            });
}
