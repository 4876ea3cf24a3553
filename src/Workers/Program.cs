using System.Globalization;
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebApp.Domain;
using WebApp.Domain.Database;
using WebApp.Domain.Training;
using WebApp.Workers;
using WebApp.Workers.Training;

// Usage:
//   WebApp.Workers [serve]                       run the Hangfire server (queues from Worker:Queues)
//   WebApp.Workers demo-train [--epochs N] [--hidden N] [--lr X] [--seed N]
//                                                train the demo model here and print its metrics as JSON
var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
var builder = Host.CreateApplicationBuilder(args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args);
builder.Services.Configure<WorkerOptions>(builder.Configuration.GetSection(WorkerOptions.Section));
builder.Services.AddSingleton<TorchDevices>();

switch (command)
{
    case "serve":
        var connectionString = builder.Configuration.GetAppConnectionString();
        builder.Services.AddAppDatabase(connectionString);
        builder.Services.AddTransient<IDemoTrainingJob, DemoTrainingJob>();
        builder.Services.AddTransient<WebApp.Domain.RelationExtraction.IRelationImportJob, WebApp.Workers.RelationExtraction.Import.RelationImportJob>();
        // Registered before the Hangfire server so it starts first: no job is taken before the schema is current.
        builder.Services.AddHostedService<SchemaGateService>();
        builder.Services.AddAppHangfire(connectionString, ownsSchema: true);
        builder.Services.AddHangfireServer((services, server) =>
        {
            var options = services.GetRequiredService<IOptions<WorkerOptions>>().Value;
            server.Queues = options.EffectiveQueues;
            server.WorkerCount = options.WorkerCount;
            server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        using (var host = builder.Build())
        {
            host.Services.GetRequiredService<TorchDevices>(); // load the natives and log the device now
            try
            {
                await host.RunAsync();
            }
            catch (OperationCanceledException)
            {
                // Stopped (Ctrl-C, SIGTERM) while still waiting for the schema: a normal exit.
            }
        }
        return 0;

    case "demo-train":
        using (var host = builder.Build())
        {
            var defaults = new DemoTrainingParameters();
            var parameters = new DemoTrainingParameters(
                builder.Configuration.GetValue("epochs", defaults.Epochs),
                builder.Configuration.GetValue("hidden", defaults.HiddenUnits),
                builder.Configuration.GetValue("lr", defaults.LearningRate),
                builder.Configuration.GetValue("seed", defaults.Seed));
            var errors = parameters.Validate().ToList();
            if (errors.Count > 0)
            {
                await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, errors));
                return 2;
            }
            var devices = host.Services.GetRequiredService<TorchDevices>();
            var result = await DemoTrainer.TrainAsync(parameters, devices.Device, _ => Task.CompletedTask, CancellationToken.None);
            Console.WriteLine(JsonSerializer.Serialize(new { device = devices.Description, result },
                new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        }
        return 0;

    default:
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Unknown command '{command}'. Commands: serve, demo-train."));
        return 2;
}

/// <summary>Holds back the rest of the host (the Hangfire server) until the web has migrated the database.</summary>
internal sealed class SchemaGateService(IDbContextFactory<AppDbContext> dbFactory, ILogger<SchemaGateService> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        SchemaGate.WaitUntilCurrentAsync(dbFactory, logger, TimeSpan.FromSeconds(1), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
