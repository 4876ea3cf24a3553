using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebApp.Domain;
using WebApp.Domain.Database;
using WebApp.Testing;

namespace WebApp.IntegrationTests;

public class MigrationTests
{
    [Fact]
    public async Task All_migrations_apply_to_an_empty_database()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await using var db = database.CreateContext();
        Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync());

        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.AuditRecords.CountAsync());
        Assert.Equal(0, await db.JobRuns.CountAsync());
        Assert.Equal(2L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = '\"AuditRecords\"'::regclass AND NOT tgisinternal"));
    }

    [Fact]
    public async Task The_model_has_no_changes_without_a_migration()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed: add a migration (see README).");
    }

    [Fact]
    public async Task A_worker_waits_until_the_web_has_migrated()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        var factory = database.CreateFactory();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var waiting = SchemaGate.WaitUntilCurrentAsync(factory, NullLogger.Instance, TimeSpan.FromMilliseconds(100), cancel.Token);
        await Task.Delay(1000);
        Assert.False(waiting.IsCompleted);

        await SchemaGate.MigrateAsync(factory, NullLogger.Instance, cancel.Token);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task The_first_migration_of_an_empty_database_logs_no_failed_command()
    {
        // A newcomer's first ./run.sh printed a failed SELECT on "__EFMigrationsHistory" as an error.
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        var errors = new ErrorCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(errors));
        var factory = new LoggingFactory(database.ConnectionString, loggerFactory);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var waiting = SchemaGate.WaitUntilCurrentAsync(factory, NullLogger.Instance, TimeSpan.FromMilliseconds(100), cancel.Token);
        await SchemaGate.MigrateAsync(factory, NullLogger.Instance, cancel.Token);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(errors.Messages);
        await using var db = database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    private sealed class LoggingFactory(string connectionString, ILoggerFactory loggerFactory) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext()
        {
            var options = new DbContextOptionsBuilder<AppDbContext>();
            options.ConfigureAppDatabase(connectionString);
            options.UseLoggerFactory(loggerFactory);
            return new AppDbContext(options.Options);
        }
    }

    private sealed class ErrorCollector : ILoggerProvider, ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error) Messages.Enqueue(formatter(state, exception));
        }
        public void Dispose() { }
    }
}
