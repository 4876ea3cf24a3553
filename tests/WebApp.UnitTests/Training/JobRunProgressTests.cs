using WebApp.Domain.Training;
using WebApp.Web.Training;

namespace WebApp.UnitTests.Training;

public class JobRunProgressTests
{
    private static readonly DateTime Now = new(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Remaining_time_is_linear_in_the_share_done()
    {
        var run = new JobRun { Status = JobRunStatus.Running, StartedAt = Now.AddSeconds(-30), Step = 25, TotalSteps = 100, Progress = 0.25 };

        Assert.Equal(TimeSpan.FromSeconds(30), JobRunProgress.Elapsed(run, Now));
        Assert.Equal(TimeSpan.FromSeconds(90), JobRunProgress.Remaining(run, Now));
        Assert.Equal("25/100", JobRunProgress.Steps(run));
        Assert.Equal("1 min 30 s", JobRunProgress.Format(JobRunProgress.Remaining(run, Now)));
    }

    [Fact]
    public void No_estimate_before_progress_or_after_the_end()
    {
        Assert.Null(JobRunProgress.Remaining(new JobRun { Status = JobRunStatus.Running, StartedAt = Now, Progress = 0 }, Now));
        Assert.Null(JobRunProgress.Remaining(new JobRun { Status = JobRunStatus.Queued, Progress = 0 }, Now));
        var finished = new JobRun
        {
            Status = JobRunStatus.Cancelled,
            StartedAt = Now.AddSeconds(-10),
            FinishedAt = Now.AddSeconds(-4),
            Progress = 0.5,
        };
        Assert.Null(JobRunProgress.Remaining(finished, Now));
        Assert.Equal(TimeSpan.FromSeconds(6), JobRunProgress.Elapsed(finished, Now));
        Assert.Equal("–", JobRunProgress.Format(null));
    }

    [Theory]
    [InlineData("{\"trainLoss\":0.1,\"heldOutAccuracy\":0.97}", "heldOutAccuracy", 0.97)]
    [InlineData("{\"epochs\":3,\"devAuc\":0.8}", "devAuc", 0.8)]
    [InlineData("{\"validationSequences\":40,\"validationPerplexity\":3.5}", "validationPerplexity", 3.5)]
    public void The_dev_metric_is_read_from_the_stored_metrics(string metrics, string name, double value) =>
        Assert.Equal((name, value), JobRunProgress.DevMetric(new JobRun { Metrics = metrics }));

    [Fact]
    public void The_dev_metric_reported_during_training_comes_first() =>
        Assert.Equal(("dev AUC", 0.75), JobRunProgress.DevMetric(
            new JobRun { DevMetricName = "dev AUC", DevMetricValue = 0.75, Metrics = "{\"devAuc\":0.8}" }));

    [Theory]
    [InlineData(null)]
    [InlineData("{\"trainLoss\":0.1}")]
    [InlineData("[1,2]")]
    public void Runs_without_a_dev_metric_show_none(string? metrics) =>
        Assert.Null(JobRunProgress.DevMetric(new JobRun { Metrics = metrics }));
}
