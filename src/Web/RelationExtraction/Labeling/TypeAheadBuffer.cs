namespace WebApp.Web.RelationExtraction.Labeling;

/// <summary>
/// The labelling page's actions, one at a time and in the order the expert gave them: a key pressed while a
/// label is still saving waits its turn instead of being dropped. When an action does not go through (its save
/// was refused, an undo found nothing to take back), the actions typed after it were meant for the items after
/// it, so they are discarded rather than applied to the wrong item.
/// </summary>
/// <remarks>
/// Not thread-safe, and it need not be: a Blazor component's event handlers run one at a time on its circuit;
/// they only interleave at awaits, which is where a second key used to arrive while the first was saving.
/// </remarks>
public sealed class TypeAheadBuffer<TAction>(Func<TAction, Task<bool>> perform)
{
    private readonly Queue<TAction> _waiting = new();

    /// <summary>An action is being performed; actions posted now wait behind it.</summary>
    public bool IsBusy { get; private set; }

    /// <summary>Actions waiting behind the one being performed.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>
    /// Performs <paramref name="action"/> now, or queues it behind the action in progress and returns at once.
    /// The call that found the queue idle performs every action queued meanwhile before it returns, and returns
    /// how many it discarded after an action that did not go through (0 when all went through).
    /// </summary>
    public async Task<int> PostAsync(TAction action)
    {
        _waiting.Enqueue(action);
        if (IsBusy) return 0;
        IsBusy = true;
        var discarded = 0;
        try
        {
            while (_waiting.TryDequeue(out var next))
            {
                if (!await perform(next))
                {
                    discarded += _waiting.Count;
                    _waiting.Clear();
                }
            }
        }
        catch
        {
            // The page reports the failure; keys typed for the items after it must not run later on others.
            _waiting.Clear();
            throw;
        }
        finally
        {
            IsBusy = false;
        }
        return discarded;
    }

    /// <summary>Performs <paramref name="action"/> only when nothing is in progress (a click belongs to the item on screen).</summary>
    public Task<int> PostIfIdleAsync(TAction action) => IsBusy ? Task.FromResult(0) : PostAsync(action);
}
