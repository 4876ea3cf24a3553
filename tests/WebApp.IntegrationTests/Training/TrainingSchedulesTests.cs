using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Training;
using WebApp.Web.Training;

namespace WebApp.IntegrationTests.Training;

public class TrainingSchedulesTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly AuditActor Admin = new(null, "admin@demo.local");
    private TrainingSchedules Schedules => app.Services.GetRequiredService<TrainingSchedules>();
    private static string DemoJson => TrainingJobStarter.DefaultParametersJson(JobKinds.DemoTraining);

    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    [Fact]
    public void The_next_five_runs_of_a_simple_expression_are_computed_in_utc()
    {
        var preview = TrainingSchedules.Preview("*/15 * * * *", new DateTime(2026, 11, 29, 10, 7, 0, DateTimeKind.Utc));

        Assert.Null(preview.Error);
        Assert.Equal(
            [
                new DateTime(2026, 11, 29, 10, 15, 0, DateTimeKind.Utc), new DateTime(2026, 11, 29, 10, 30, 0, DateTimeKind.Utc),
                new DateTime(2026, 11, 29, 10, 45, 0, DateTimeKind.Utc), new DateTime(2026, 11, 29, 11, 0, 0, DateTimeKind.Utc),
                new DateTime(2026, 11, 29, 11, 15, 0, DateTimeKind.Utc),
            ],
            preview.NextRunsUtc);
        var daily = TrainingSchedules.Preview("0 3 * * 1", new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc), 2);
        Assert.Equal([new DateTime(2026, 11, 30, 3, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc)], daily.NextRunsUtc);
    }

    [Theory]
    [InlineData("")]
    [InlineData("every day")]
    [InlineData("61 * * * *")]
    [InlineData("0 3 * *")]
    [InlineData("0 0 30 2 *")]
    public async Task A_bad_cron_expression_is_refused_with_a_clear_error(string cron)
    {
        var preview = TrainingSchedules.Preview(cron, DateTime.UtcNow);
        var saved = await Schedules.SaveRecurringAsync(null, JobKinds.DemoTraining, DemoJson, JobQueues.Default, cron, Admin);

        Assert.NotNull(preview.Error);
        Assert.Empty(preview.NextRunsUtc);
        Assert.Contains(preview.Error, saved.Errors);
        Assert.DoesNotContain(Schedules.List(), s => s.Cron == cron);
    }

    [Fact]
    public async Task A_schedule_naming_a_project_or_dataset_that_does_not_exist_is_refused()
    {
        var relation = TrainingJobStarter.DefaultParametersJson(JobKinds.RelationTraining).Replace("\"projectId\": 0", "\"projectId\": 987654", StringComparison.Ordinal);
        var clustering = TrainingJobStarter.DefaultParametersJson(JobKinds.SequenceClustering).Replace("\"datasetId\": 0", "\"datasetId\": 987654", StringComparison.Ordinal);

        var project = await Schedules.SaveRecurringAsync(null, JobKinds.RelationTraining, relation, JobQueues.Default, "0 3 * * *", Admin);
        var dataset = await Schedules.SaveRecurringAsync(null, JobKinds.SequenceClustering, clustering, JobQueues.Default, "0 3 * * *", Admin);

        Assert.Equal(["There is no relation project 987654: set \"projectId\" to one that exists."], project.Errors);
        Assert.Equal(["There is no sequence dataset 987654: set \"datasetId\" to one that exists."], dataset.Errors);
        Assert.Null(project.Id);
        Assert.DoesNotContain(Schedules.List(), s => s.ParametersJson.Contains("987654", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_recurring_training_is_registered_in_hangfire_with_its_cron_and_queue_and_can_be_edited_and_deleted()
    {
        var saved = await Schedules.SaveRecurringAsync(null, JobKinds.DemoTraining, DemoJson, JobQueues.Gpu, "30 2 * * *", Admin);
        Assert.Empty(saved.Errors);

        using (var connection = app.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var stored = Assert.Single(connection.GetRecurringJobs(), j => j.Id == saved.Id);
            Assert.Equal("30 2 * * *", stored.Cron);
            Assert.Equal(IScheduledTrainingJob.Queue, stored.Job.Queue);
            Assert.Equal(typeof(IScheduledTrainingJob), stored.Job.Type);
            Assert.Equal(JobQueues.Gpu, stored.Job.Args[3]);
            Assert.NotNull(stored.NextExecution);
        }
        var listed = Assert.Single(Schedules.List(), s => s.Id == saved.Id);
        Assert.Equal(JobKinds.DemoTraining, listed.Kind);
        Assert.Equal(JobQueues.Gpu, listed.Queue);
        Assert.Equal("admin@demo.local", listed.RequestedBy);

        var edited = await Schedules.SaveRecurringAsync(saved.Id, JobKinds.DemoTraining, DemoJson, JobQueues.Default, "0 4 * * *", Admin);
        Assert.Empty(edited.Errors);
        Assert.Equal("0 4 * * *", Assert.Single(Schedules.List(), s => s.Id == saved.Id).Cron);

        Assert.Empty(await Schedules.DeleteRecurringAsync(saved.Id!, Admin));
        Assert.DoesNotContain(Schedules.List(), s => s.Id == saved.Id);
        await using var db = await DbAsync();
        Assert.Equal(["schedule.created", "schedule.updated", "schedule.deleted"],
            await db.AuditRecords.Where(r => r.EntityId == saved.Id).OrderBy(r => r.Id).Select(r => r.Action).ToListAsync());
    }

    [Fact]
    public async Task Run_now_puts_the_schedules_trigger_on_the_schedule_queue_for_a_worker_and_is_audited()
    {
        var saved = await Schedules.SaveRecurringAsync(null, JobKinds.DemoTraining, DemoJson, JobQueues.Default, "0 0 1 1 *", Admin);
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var before = monitoring.EnqueuedCount(IScheduledTrainingJob.Queue);

        Assert.Empty(await Schedules.RunNowAsync(saved.Id!, Admin));

        Assert.Equal(before + 1, monitoring.EnqueuedCount(IScheduledTrainingJob.Queue));
        Assert.NotEmpty(await Schedules.RunNowAsync("training-unknown", Admin));
        await using var db = await DbAsync();
        Assert.Contains("schedule.triggered", await db.AuditRecords.Where(r => r.EntityId == saved.Id).Select(r => r.Action).ToListAsync());
        await Schedules.DeleteRecurringAsync(saved.Id!, Admin);
    }

    [Fact]
    public async Task The_schedule_form_offers_every_job_type_with_its_launchers_defaults_and_lists_the_schedules()
    {
        var saved = await Schedules.SaveRecurringAsync(null, JobKinds.DemoTraining, DemoJson, JobQueues.Default, "15 1 * * *", Admin);
        var admin = await app.ClientAsync("admin@demo.local");

        var html = await admin.GetStringAsync(new Uri("/admin/training/new", UriKind.Relative));

        Assert.Contains("&quot;epochs&quot;: 500", html, StringComparison.Ordinal); // DemoTrainingParameters' default
        Assert.Contains("<code>15 1 * * *</code>", html, StringComparison.Ordinal);
        Assert.Contains($"data-schedule=\"{saved.Id}\"", html, StringComparison.Ordinal);
        Assert.All(TrainingJobStarter.Kinds, kind => Assert.NotNull(TrainingJobStarter.DefaultParametersJson(kind)));
        Assert.All(TrainingJobStarter.Kinds, kind => Assert.NotEmpty(
            TrainingJobStarter.Validate(kind, "{\"epochs\": -1, \"maxK\": 1, \"settings\": {\"maxEpochs\": -1}}", JobQueues.Default)));
        await Schedules.DeleteRecurringAsync(saved.Id!, Admin);
    }

    [Fact]
    public async Task The_training_page_shows_a_linked_run_highlighted_even_when_it_is_not_among_the_recent_ones()
    {
        var old = new JobRun { Id = Guid.CreateVersion7(), Kind = JobKinds.DemoTraining, Status = JobRunStatus.Succeeded, CreatedAt = DateTime.UtcNow.AddYears(-1) };
        await using (var db = await DbAsync())
        {
            db.JobRuns.Add(old);
            db.JobRuns.AddRange(Enumerable.Range(0, 20).Select(_ => new JobRun
            {
                Id = Guid.CreateVersion7(),
                Kind = JobKinds.DemoTraining,
                Status = JobRunStatus.Queued,
                CreatedAt = DateTime.UtcNow,
            }));
            await db.SaveChangesAsync();
        }
        var admin = await app.ClientAsync("admin@demo.local");

        var recent = await admin.GetStringAsync(new Uri("/admin/training", UriKind.Relative));
        var linked = await admin.GetStringAsync(new Uri($"/admin/training?run={old.Id}", UriKind.Relative));

        Assert.DoesNotContain(old.Id.ToString(), recent, StringComparison.Ordinal);
        Assert.Contains($"data-job-run=\"{old.Id}\"", linked, StringComparison.Ordinal);
        Assert.Contains("data-selected=\"true\"", linked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_run_whose_worker_stopped_beating_says_so_until_another_worker_takes_it_over()
    {
        var now = DateTime.UtcNow;
        var lost = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.DemoTraining,
            Status = JobRunStatus.Running,
            WorkerHost = "lost-host/4242",
            CreatedAt = now,
        };
        var alive = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.DemoTraining,
            Status = JobRunStatus.Running,
            WorkerHost = "busy-host/4243",
            CreatedAt = now,
        };
        await using (var db = await DbAsync())
        {
            db.JobRuns.AddRange(lost, alive);
            db.WorkerHeartbeats.AddRange(
                new WorkerHeartbeat { Id = Guid.NewGuid(), HostName = "lost-host", ProcessId = 4242, Queues = ["default"], IntervalSeconds = 1, StartedAt = now.AddHours(-1), LastSeenAt = now.AddMinutes(-10) },
                new WorkerHeartbeat { Id = Guid.NewGuid(), HostName = "busy-host", ProcessId = 4243, Queues = ["default"], IntervalSeconds = 5, StartedAt = now.AddHours(-1), LastSeenAt = now });
            await db.SaveChangesAsync();
        }
        var admin = await app.ClientAsync("admin@demo.local");

        var html = await admin.GetStringAsync(new Uri("/admin/training", UriKind.Relative));

        var lostRow = html[html.IndexOf($"data-job-run=\"{lost.Id}\"", StringComparison.Ordinal)..];
        var aliveRow = html[html.IndexOf($"data-job-run=\"{alive.Id}\"", StringComparison.Ordinal)..];
        Assert.Contains("its worker is dead", lostRow[..lostRow.IndexOf("</tr>", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.DoesNotContain("job-worker-lost", aliveRow[..aliveRow.IndexOf("</tr>", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delayed_start_creates_the_run_now_and_hangfire_holds_it_until_then()
    {
        var at = DateTimeOffset.UtcNow.AddHours(2);

        var result = await Schedules.StartAtAsync(JobKinds.DemoTraining, DemoJson, JobQueues.Gpu, at, Admin);
        var past = await Schedules.StartAtAsync(JobKinds.DemoTraining, DemoJson, JobQueues.Gpu, DateTimeOffset.UtcNow.AddMinutes(-1), Admin);

        Assert.Empty(result.Errors);
        Assert.NotEmpty(past.Errors);
        await using var db = await DbAsync();
        var run = await db.JobRuns.SingleAsync(r => r.Id == result.JobRunIds.Single());
        Assert.Equal(JobRunStatus.Queued, run.Status);
        Assert.StartsWith("starts at", run.Message, StringComparison.Ordinal);
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var state = connection.GetStateData(run.HangfireJobId!);
        Assert.Equal("Scheduled", state.Name);
        Assert.Equal(JobQueues.Gpu, connection.GetJobData(run.HangfireJobId!).Job.Queue);
    }
}
