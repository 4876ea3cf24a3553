using WebApp.Web.RelationExtraction.Labeling;

namespace WebApp.UnitTests;

public class TypeAheadBufferTests
{
    /// <summary>Actions that finish only when the test says so, as a label's save finishes only after its commit.</summary>
    private sealed class SlowActions
    {
        private readonly Dictionary<string, TaskCompletionSource<bool>> _running = [];

        public List<string> Started { get; } = [];

        public Task<bool> PerformAsync(string action)
        {
            Started.Add(action);
            var completion = new TaskCompletionSource<bool>();
            _running[action] = completion;
            return completion.Task;
        }

        public void Finish(string action, bool wentThrough = true) => _running[action].SetResult(wentThrough);

        public void Fail(string action) => _running[action].SetException(new InvalidOperationException("the database went away"));
    }

    /// <summary>Without xunit's context, the buffer's continuation runs inside Finish, so the test can look right after it.</summary>
    private static void NoSynchronizationContext() => SynchronizationContext.SetSynchronizationContext(null);

    [Fact]
    public async Task Keys_pressed_while_one_is_saving_wait_and_run_in_the_order_they_were_pressed()
    {
        NoSynchronizationContext();
        var actions = new SlowActions();
        var buffer = new TypeAheadBuffer<string>(actions.PerformAsync);

        var first = buffer.PostAsync("label 1");
        var second = buffer.PostAsync("label 2");
        var third = buffer.PostAsync("undo");

        // Queued behind the save in progress: neither dropped nor started alongside it.
        Assert.True(second.IsCompleted);
        Assert.True(third.IsCompleted);
        Assert.Equal(["label 1"], actions.Started);
        Assert.True(buffer.IsBusy);
        Assert.Equal(2, buffer.Waiting);

        actions.Finish("label 1");
        Assert.Equal(["label 1", "label 2"], actions.Started);
        actions.Finish("label 2");
        Assert.Equal(["label 1", "label 2", "undo"], actions.Started);
        Assert.False(first.IsCompleted);
        actions.Finish("undo");

        Assert.Equal(0, await first);
        Assert.False(buffer.IsBusy);
        Assert.Equal(0, buffer.Waiting);
    }

    [Fact]
    public async Task Keys_typed_after_an_action_that_did_not_go_through_are_discarded_not_applied_to_another_item()
    {
        NoSynchronizationContext();
        var actions = new SlowActions();
        var buffer = new TypeAheadBuffer<string>(actions.PerformAsync);

        var first = buffer.PostAsync("label 1");
        _ = buffer.PostAsync("label 2");
        _ = buffer.PostAsync("label 3");
        actions.Finish("label 1", wentThrough: false);

        Assert.Equal(2, await first);
        Assert.Equal(["label 1"], actions.Started);

        // The next key starts afresh.
        var next = buffer.PostAsync("label 4");
        actions.Finish("label 4");
        Assert.Equal(0, await next);
        Assert.Equal(["label 1", "label 4"], actions.Started);
    }

    [Fact]
    public async Task A_failing_action_fails_the_call_that_ran_it_and_leaves_nothing_behind_to_run_later()
    {
        NoSynchronizationContext();
        var actions = new SlowActions();
        var buffer = new TypeAheadBuffer<string>(actions.PerformAsync);

        var first = buffer.PostAsync("label 1");
        _ = buffer.PostAsync("label 2");
        actions.Fail("label 1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        Assert.False(buffer.IsBusy);
        Assert.Equal(0, buffer.Waiting);
        var next = buffer.PostAsync("label 3");
        actions.Finish("label 3");
        await next;
        Assert.Equal(["label 1", "label 3"], actions.Started);
    }

    [Fact]
    public async Task A_click_while_an_action_is_in_progress_does_nothing_so_a_double_click_never_submits_twice()
    {
        NoSynchronizationContext();
        var actions = new SlowActions();
        var buffer = new TypeAheadBuffer<string>(actions.PerformAsync);

        var click = buffer.PostIfIdleAsync("born in");
        var secondClick = buffer.PostIfIdleAsync("born in");
        Assert.True(secondClick.IsCompleted);
        actions.Finish("born in");
        await click;

        Assert.Equal(["born in"], actions.Started);
        Assert.Equal(0, buffer.Waiting);
    }
}
