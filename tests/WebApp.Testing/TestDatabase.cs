using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebApp.Domain;
using WebApp.Domain.Database;
using WebApp.Domain.Training;

namespace WebApp.Testing;

/// <summary>
/// A fresh database on the PostgreSQL server that ./test.sh starts (TEST_PG_CONNECTION, a superuser),
/// dropped again on dispose. Real PostgreSQL, never an in-memory stand-in.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string serverConnectionString, string name)
    {
        ServerConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }
    private string ServerConnectionString { get; }

    public static string ServerConnection =>
        Environment.GetEnvironmentVariable("TEST_PG_CONNECTION") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "TEST_PG_CONNECTION is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL.");

    /// <summary>Creates an empty database; pass <paramref name="migrate"/> to apply every migration.</summary>
    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var database = new TestDatabase(ServerConnection, $"test_{Guid.NewGuid():N}");
        await using (var connection = new NpgsqlConnection(ServerConnection))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        if (migrate)
        {
            await using var db = database.CreateContext();
            await db.Database.MigrateAsync();
        }
        return database;
    }

    public AppDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        options.ConfigureAppDatabase(ConnectionString);
        return new AppDbContext(options.Options);
    }

    public IDbContextFactory<AppDbContext> CreateFactory() => new Factory(this);

    /// <summary>Creates Hangfire's schema, as a worker would, for tests that enqueue without a worker.</summary>
    public async Task InstallHangfireSchemaAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        PostgreSqlObjectsInstaller.Install(connection, HangfireStorage.Schema);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private sealed class Factory(TestDatabase database) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => database.CreateContext();
    }
}
