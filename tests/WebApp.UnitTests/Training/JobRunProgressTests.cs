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
    // Batches over all epochs, percent of the bytes, epochs over all grid points: never shown as "epoch 2310/2310" or
    // "k 100/100"; the message says the progress in its units.
    [InlineData(JobKinds.RelationTraining, 2310, 2310, "epoch 30/30 · step 77/77", "epoch 30/30 · step 77/77")]
    [InlineData(JobKinds.RelationImport, 100, 100, "3.1/12 MB read · 12,000 lines", "3.1/12 MB read · 12,000 lines")]
    [InlineData(JobKinds.SequenceImport, 40, 100, "1.0/2.5 MB read · 400 lines", "1.0/2.5 MB read · 400 lines")]
    [InlineData(JobKinds.NoveltyTraining, 18, 400, "grid point 1/10 · epoch 18/40", "grid point 1/10 · epoch 18/40")]
    [InlineData(JobKinds.DemoTraining, 50, 50, "epoch 50/50", "epoch 50/50")]
    // Where the step is a thing a person counts, it is named and shown before the message.
    [InlineData(JobKinds.SequenceClustering, 3, 8, "LDA k=4: fitted", "model 3/8 · LDA k=4: fitted")]
    [InlineData(JobKinds.LearningCurve, 5, 40, "seed 1 · round 2/5", "training 5/40 · seed 1 · round 2/5")]
    [InlineData(JobKinds.SequenceClustering, 0, 0, "loading", "loading")]
    [InlineData(JobKinds.NoveltyScoring, 1, 3, null, "stage 1/3")]
    public void Progress_is_described_in_units_a_person_counts(string kind, int step, int total, string? message, string expected) =>
        Assert.Equal(expected, JobRunProgress.Describe(new JobRun { Kind = kind, Step = step, TotalSteps = total, Message = message }));

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
