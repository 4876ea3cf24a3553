using WebApp.Domain.Training;

namespace WebApp.UnitTests.Training;

public class WorkerStateTests
{
    private static readonly DateTime LastSeen = new(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(0, WorkerState.Alive)]
    [InlineData(14.9, WorkerState.Alive)]
    [InlineData(15, WorkerState.Late)]
    [InlineData(59.9, WorkerState.Late)]
    [InlineData(60, WorkerState.Dead)]
    [InlineData(86_400, WorkerState.Dead)]
    public void A_running_worker_is_judged_by_the_beats_it_missed(double secondsSilent, WorkerState expected) =>
        Assert.Equal(expected, WorkerHeartbeat.Classify(LastSeen, null, Interval, LastSeen.AddSeconds(secondsSilent)));

    [Theory]
    [InlineData(1)]
    [InlineData(3600)]
    public void A_worker_that_said_goodbye_is_stopped_however_long_ago(double secondsSilent) =>
        Assert.Equal(WorkerState.Stopped, WorkerHeartbeat.Classify(LastSeen, LastSeen, Interval, LastSeen.AddSeconds(secondsSilent)));

    [Fact]
    public void Each_worker_is_judged_by_its_own_interval()
    {
        var slow = new WorkerHeartbeat { LastSeenAt = LastSeen, IntervalSeconds = 30 };
        var fast = new WorkerHeartbeat { LastSeenAt = LastSeen, IntervalSeconds = 1 };

        Assert.Equal(WorkerState.Alive, slow.StateAt(LastSeen.AddSeconds(60)));
        Assert.Equal(WorkerState.Dead, fast.StateAt(LastSeen.AddSeconds(60)));
    }
}
