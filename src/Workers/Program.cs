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
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;
using WebApp.Workers;
using WebApp.Workers.RelationExtraction;
using WebApp.Workers.RelationExtraction.Training;
using WebApp.Workers.Training;

// Usage:
//   WebApp.Workers [serve]                       run the Hangfire server (queues from Worker:Queues)
//   WebApp.Workers demo-train [--epochs N] [--hidden N] [--lr X] [--seed N]
//                                                train the demo model here and print its metrics as JSON
//   WebApp.Workers re train --data DIR [...]     train the relation-extraction PCNN on an OpenNRE folder
//   WebApp.Workers re simulate --data DIR [...]  learning curves of the active-learning strategies (simulated expert)
//   WebApp.Workers re export --project N --out DIR
//                                                write a project's data as training sees it, in that format
//   WebApp.Workers seq import --dataset NAME --format lines|csv|jsonl|labels --file F [--part train|test]
//                                                import event sequences here (the import job's code path)
//   WebApp.Workers seq lstm --train F --test-normal F --test-novel F [...]
//                                                train a global next-event LSTM on a lines file, score two test files; JSON
//   WebApp.Workers seq cluster (--file PATH | --dataset ID [--connection CS]) [--method lda|kmeans|kmedoids] [...]
//                                                the sequence clustering job's fitting code; prints JSON, stores nothing
//   WebApp.Workers seq evaluate --train F --test-normal F --test-novel F [--clustering kmeans,kmedoids,lda,global,FILE] [...]
//                                                novelty detection: per-cluster LSTMs vs global, STIDE, DeepLog; JSON metrics
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
        builder.Services.AddTransient<IRelationTrainingJob, WebApp.Workers.RelationExtraction.Training.RelationTrainingJob>();
        builder.Services.AddTransient<WebApp.Domain.RelationExtraction.ActiveLearning.ILearningCurveJob, WebApp.Workers.RelationExtraction.ActiveLearning.LearningCurveJob>();
        builder.Services.AddTransient<IExpertValueJob, WebApp.Workers.RelationExtraction.Training.ExpertValueJob>();
        builder.Services.AddTransient<IRelationImportJob, WebApp.Workers.RelationExtraction.Import.RelationImportJob>();
        builder.Services.AddTransient<WebApp.Domain.Sequences.ISequenceImportJob, WebApp.Workers.Sequences.Import.SequenceImportJob>();
        builder.Services.AddTransient<WebApp.Domain.Sequences.ISequenceClusteringJob, WebApp.Workers.Sequences.Clustering.SequenceClusteringJob>();
        builder.Services.AddTransient<WebApp.Workers.Sequences.Novelty.Jobs.ModelSetEvaluator>();
        builder.Services.AddTransient<WebApp.Domain.Sequences.Novelty.INoveltyTrainingJob, WebApp.Workers.Sequences.Novelty.Jobs.NoveltyTrainingJob>();
        builder.Services.AddTransient<WebApp.Domain.Sequences.Novelty.INoveltyScoringJob, WebApp.Workers.Sequences.Novelty.Jobs.NoveltyScoringJob>();
        builder.Services.AddTrainingLaunchers();
        builder.Services.AddTransient<IScheduledTrainingJob, ScheduledTrainingJob>();
        // Registered before the Hangfire server so it starts first: no job is taken before the schema is current.
        builder.Services.AddHostedService<SchemaGateService>();
        // Before the Hangfire server, so it stops after it: the stop is written once running jobs have ended.
        builder.Services.AddHostedService<WorkerHeartbeatService>();
        builder.Services.AddAppHangfire(connectionString, ownsSchema: true,
            builder.Configuration.GetValue<TimeSpan?>("Hangfire:InvisibilityTimeout"));
        builder.Services.AddHangfireServer((services, server) =>
        {
            var options = services.GetRequiredService<IOptions<WorkerOptions>>().Value;
            // Every worker also fires schedules: a trigger only creates a run and enqueues it on the schedule's queue.
            server.Queues = [IScheduledTrainingJob.Queue, .. options.EffectiveQueues.Except([IScheduledTrainingJob.Queue])];
            server.WorkerCount = options.WorkerCount;
            server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        // A slot of its own for the expert loop: with one slot for everything, a learning-curve simulation or a
        // clustering held automatic retraining for as long as it ran (an hour and more on 2 cores).
        if (builder.Configuration.GetValue($"{WorkerOptions.Section}:{nameof(WorkerOptions.RetrainWorkers)}", new WorkerOptions().RetrainWorkers) is > 0 and var retrainWorkers)
        {
            builder.Services.AddHangfireServer(server =>
            {
                server.Queues = [JobQueues.Retrain];
                server.WorkerCount = retrainWorkers;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:retrain";
                server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
        }
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

    case "re" when args.Length > 1 && args[1] == "export":
        // re export --project N --out DIR [--seed N] [--na-ratio X] [--expert-weight X]: the project's data as the training job sees it.
        builder.Services.AddAppDatabase(builder.Configuration.GetAppConnectionString());
        using (var host = builder.Build())
        {
            var projectId = builder.Configuration.GetValue<int?>("project");
            var directory = builder.Configuration.GetValue<string>("out");
            if (projectId is null || string.IsNullOrWhiteSpace(directory))
            {
                await Console.Error.WriteLineAsync("Usage: re export --project N --out DIR [--seed N] [--na-ratio X] [--expert-weight X]");
                return 2;
            }
            await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
            var project = await db.RelationProjects.AsNoTracking().SingleAsync(p => p.Id == projectId);
            var defaults = new RelationTrainingParameters(project.Id);
            var data = await OpenNreExport.WriteAsync(db, project.Id, builder.Configuration.GetValue("na-ratio", project.NaSamplingRatio),
                builder.Configuration.GetValue("seed", defaults.Seed), builder.Configuration.GetValue("expert-weight", defaults.ExpertLabelWeight),
                directory, CancellationToken.None);
            Console.WriteLine(JsonSerializer.Serialize(data.Snapshot, JobJson.Options));
        }
        return 0;

    case "re" when args.Length > 1 && args[1] == "simulate":
        return await WebApp.Workers.RelationExtraction.ActiveLearning.LearningCurveCommandLine.RunAsync(args[2..],
            builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>()?.TorchThreads ?? WorkerOptions.DefaultTorchThreads,
            Console.Out, Console.Error, CancellationToken.None);

    case "re":
        return await RelationCommandLine.RunAsync(args[1..],
            builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>()?.TorchThreads ?? WorkerOptions.DefaultTorchThreads,
            Console.Out, Console.Error, CancellationToken.None);

    case "seq" when args.Length > 1 && args[1] == "lstm":
        return await WebApp.Workers.Sequences.Novelty.NextEventCommandLine.RunAsync(args[1..],
            builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>()?.TorchThreads ?? WorkerOptions.DefaultTorchThreads,
            Console.Out, Console.Error, CancellationToken.None);

    case "seq" when args.Length > 1 && args[1] == "cluster":
        return await WebApp.Workers.Sequences.Clustering.SequenceClusteringCommandLine.RunAsync(args[1..],
            builder.Configuration.GetConnectionString("App"), Console.Out, Console.Error, CancellationToken.None);

    case "seq" when args.Length > 1 && args[1] == "evaluate":
        return await WebApp.Workers.Sequences.Novelty.Evaluation.SequenceEvaluationCommandLine.RunAsync(args[1..],
            builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>()?.TorchThreads ?? WorkerOptions.DefaultTorchThreads,
            Console.Out, Console.Error, CancellationToken.None);

    case "seq":
        return await WebApp.Workers.Sequences.SequenceCommandLine.RunAsync(args[1..], builder.Configuration.GetAppConnectionString(),
            Console.Out, Console.Error, CancellationToken.None);

    default:
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Unknown command '{command}'. Commands: serve, demo-train, re, seq."));
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
