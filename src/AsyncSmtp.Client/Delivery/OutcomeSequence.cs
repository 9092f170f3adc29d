namespace AsyncSmtp.Client.Delivery;

/// <summary>
/// Outcomes as they settle, in any order; handed out strictly in the order the messages were added. A message the
/// delivery dropped unstarted (it stopped first) has no outcome: its place is passed over.
/// </summary>
internal sealed class OutcomeSequence
{
    private readonly object _gate = new();
    private readonly Dictionary<int, DeliveryOutcome?> _settled = new();
    private int _next;
    private TaskCompletionSource<bool> _changed = NewSignal();

    public void Add(DeliveryOutcome outcome) => Settle(outcome.Index, outcome);

    /// <summary>The message at this place was never started and gets no outcome.</summary>
    public void PassOver(int index) => Settle(index, null);

    private void Settle(int index, DeliveryOutcome? outcome)
    {
        TaskCompletionSource<bool> changed;
        lock (_gate)
        {
            _settled.Add(index, outcome);
            if (index != _next) return;
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult(true);
    }

    /// <summary>How many outcomes have been taken (places passed over included).</summary>
    public int Taken
    {
        get { lock (_gate) return _next; }
    }

    public bool TryTakeNext(out DeliveryOutcome outcome)
    {
        lock (_gate)
        {
            while (_settled.TryGetValue(_next, out var settled))
            {
                _settled.Remove(_next++);
                if (settled is null) continue;
                outcome = settled;
                return true;
            }
            outcome = null!;
            return false;
        }
    }

    /// <summary>Completes when the next outcome in order may have arrived.</summary>
    public Task NextMayBeReadyAsync()
    {
        lock (_gate) return _settled.ContainsKey(_next) ? Task.CompletedTask : _changed.Task;
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
