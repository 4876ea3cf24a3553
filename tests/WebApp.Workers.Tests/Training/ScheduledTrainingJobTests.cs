using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebApp.Domain;
using WebApp.Domain.Database;
using WebApp.Domain.Training;
using WebApp.Testing;
using WebApp.Workers.Training;

namespace WebApp.Workers.Tests.Training;

/// <summary>A recurring schedule fires on a worker: the trigger starts the training through the launchers the web uses.</summary>
public sealed class ScheduledTrainingJobTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await _database.InstallHangfireSchemaAsync();
        _services = AddWorkerScheduling(new ServiceCollection().AddLogging()).BuildServiceProvider();
    }

    /// <summary>The worker's registrations for this path (src/Workers/Program.cs).</summary>
    private IServiceCollection AddWorkerScheduling(IServiceCollection services) => services
        .AddAppDatabase(_database.ConnectionString)
        .AddAppHangfire(_database.ConnectionString, ownsSchema: false)
        .AddTrainingLaunchers()
        .AddTransient<IScheduledTrainingJob, ScheduledTrainingJob>();

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static string DemoJson => TrainingJobStarter.DefaultParametersJson(JobKinds.DemoTraining);

    [Fact]
    public async Task Firing_creates_a_queued_job_run_requested_by_the_schedule_and_enqueues_it_on_the_chosen_queue()
    {
        await _services.GetRequiredService<IScheduledTrainingJob>()
            .FireAsync("training-test", JobKinds.DemoTraining, DemoJson, JobQueues.Gpu, "admin@demo.local");

        await using var db = _database.CreateContext();
        var run = await db.JobRuns.SingleAsync();
        Assert.Equal("system:schedule training-test of admin@demo.local", run.RequestedByName);
        Assert.Equal(JobKinds.DemoTraining, run.Kind);
        Assert.Equal(JobRunStatus.Queued, run.Status);
        Assert.Equal(JobQueues.Gpu, run.Queue);
        using var connection = _services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Equal(JobQueues.Gpu, connection.GetJobData(run.HangfireJobId!).Job.Queue);
        Assert.Equal("job.enqueued", (await db.AuditRecords.SingleAsync(r => r.EntityId == run.Id.ToString())).Action);
    }

    [Fact]
    public async Task Firing_with_parameters_that_no_longer_validate_fails_the_trigger_and_creates_no_run()
    {
        var job = _services.GetRequiredService<IScheduledTrainingJob>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            job.FireAsync("training-test", JobKinds.RelationTraining, """{"projectId": 0, "epochs": 0}""", JobQueues.Default, "admin@demo.local"));

        Assert.NotEmpty(error.Message);
        await using var db = _database.CreateContext();
        Assert.False(await db.JobRuns.AnyAsync());
    }

    [Fact]
    public async Task A_triggered_recurring_schedule_is_fired_by_a_worker_server_serving_the_schedule_queue()
    {
        var recurring = _services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<IScheduledTrainingJob>("training-trigger-test", IScheduledTrainingJob.Queue,
            job => job.FireAsync("training-trigger-test", JobKinds.DemoTraining, DemoJson, JobQueues.Default, "admin@demo.local"),
            "0 0 1 1 *", new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        // A Hangfire server as a worker runs it, but only on the schedule queue: the demo training it enqueues stays queued.
        var worker = Host.CreateApplicationBuilder();
        AddWorkerScheduling(worker.Services).AddHangfireServer(server =>
        {
            server.Queues = [IScheduledTrainingJob.Queue];
            server.WorkerCount = 1;
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        using var host = worker.Build();
        await host.StartAsync();

        recurring.Trigger("training-trigger-test");

        JobRun? run = null;
        for (var waited = 0; waited < 300 && run is null; waited++)
        {
            await using var poll = _database.CreateContext();
            run = await poll.JobRuns.SingleOrDefaultAsync(r => r.RequestedByName == "system:schedule training-trigger-test of admin@demo.local");
            if (run is null) await Task.Delay(100);
        }
        await host.StopAsync();
        Assert.NotNull(run);
        Assert.Equal(JobRunStatus.Queued, run.Status);
    }
}
