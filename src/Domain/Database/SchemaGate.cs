using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace WebApp.Domain.Database;

/// <summary>
/// Waits until the database is reachable and every migration is applied. Only the web applies
/// migrations; workers call <see cref="WaitUntilCurrentAsync"/> before they take jobs.
/// </summary>
public static class SchemaGate
{
    public static async Task WaitUntilCurrentAsync(
        IDbContextFactory<AppDbContext> dbFactory, ILogger logger, TimeSpan pollInterval, CancellationToken ct)
    {
        var announced = false;
        while (true)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var historyExists = await HistoryExistsAsync(db, ct);
                var pending = historyExists
                    ? (await db.Database.GetPendingMigrationsAsync(ct)).ToList()
                    : db.Database.GetMigrations().ToList();
                if (pending.Count == 0)
                {
                    logger.LogInformation("Database schema is current.");
                    return;
                }
                if (!announced)
                {
                    logger.LogInformation("Waiting for the web to apply {Count} migration(s): {Migrations}",
                        pending.Count, string.Join(", ", pending));
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                if (!announced) logger.LogInformation("Waiting for the database: {Reason}", e.Message);
            }
            announced = true;
            await Task.Delay(pollInterval, ct);
        }
    }

    /// <summary>Applies pending migrations, retrying while the database server is still starting.</summary>
    public static async Task MigrateAsync(IDbContextFactory<AppDbContext> dbFactory, ILogger logger, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                if (!await HistoryExistsAsync(db, ct))
                {
                    // On an empty database EF reads the history table before creating it and logs the failed SELECT
                    // as an error, the first thing a newcomer's first run printed. Created first, there is nothing to fail.
                    var history = db.GetService<IHistoryRepository>();
                    await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), ct);
                }
                await db.Database.MigrateAsync(ct);
                logger.LogInformation("Database migrations applied.");
                return;
            }
            catch (NpgsqlException e) when (attempt < 30 && e.IsTransient)
            {
                logger.LogInformation("Database not reachable yet ({Reason}); retrying.", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    // Asking EF for applied migrations before the history table exists logs a failed command.
    private static Task<bool> HistoryExistsAsync(AppDbContext db, CancellationToken ct) =>
        db.Database.SqlQuery<bool>($"SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL AS \"Value\"").SingleAsync(ct);
}
