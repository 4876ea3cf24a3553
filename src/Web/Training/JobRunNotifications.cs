using Npgsql;
using WebApp.Domain.Database;
using WebApp.Domain.Training;

namespace WebApp.Web.Training;

/// <summary>
/// Listens on PostgreSQL's <c>job_runs</c> channel and tells open pages which run changed, so progress
/// reaches the browser without polling. Reconnects when the connection drops.
/// </summary>
public sealed class JobRunNotifications(IConfiguration configuration, ILogger<JobRunNotifications> logger) : BackgroundService
{
    public event Action<Guid>? Changed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetAppConnectionString())
        {
            KeepAlive = 30,
        }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (Guid.TryParse(e.Payload, out var id)) Changed?.Invoke(id);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {JobRunReporter.NotificationChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                logger.LogWarning("Job-run notifications interrupted ({Reason}); reconnecting.", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }
}
