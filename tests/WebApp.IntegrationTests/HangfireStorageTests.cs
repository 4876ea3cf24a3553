using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain.Training;
using WebApp.Testing;

namespace WebApp.IntegrationTests;

public class HangfireStorageTests
{
    [Fact]
    public async Task Two_hosts_in_one_process_enqueue_into_their_own_databases()
    {
        await using var first = await TestDatabase.CreateAsync(migrate: false);
        await using var second = await TestDatabase.CreateAsync(migrate: false);
        await first.InstallHangfireSchemaAsync();
        await second.InstallHangfireSchemaAsync();

        // Hangfire's global configuration belongs to whichever host configured it last: here, the second.
        // Each host logs through its own factory: without one, Hangfire would keep the log provider of a test
        // host that another test class may already have disposed.
        await using var firstHost = new ServiceCollection().AddLogging().AddAppHangfire(first.ConnectionString, ownsSchema: false).BuildServiceProvider();
        await using var secondHost = new ServiceCollection().AddLogging().AddAppHangfire(second.ConnectionString, ownsSchema: false).BuildServiceProvider();
        secondHost.GetRequiredService<IBackgroundJobClient>();
        firstHost.GetRequiredService<IBackgroundJobClient>().Enqueue(() => NoOp.Run());

        Assert.Equal(1L, await first.ScalarAsync<long>("SELECT count(*) FROM hangfire.job"));
        Assert.Equal(0L, await second.ScalarAsync<long>("SELECT count(*) FROM hangfire.job"));
    }
}

/// <summary>A job for Hangfire to store; it never runs here.</summary>
public static class NoOp
{
    public static void Run() { }
}
