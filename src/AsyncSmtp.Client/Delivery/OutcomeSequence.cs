namespace AsyncSmtp.Client.Delivery;

/// <summary>Outcomes as they settle, in any order; handed out strictly in the order the messages were added.</summary>
internal sealed class OutcomeSequence
{
    private readonly object _gate = new();
    private readonly Dictionary<int, DeliveryOutcome> _settled = new();
    private int _next;
    private TaskCompletionSource<bool> _changed = NewSignal();

    public void Add(DeliveryOutcome outcome)
    {
        TaskCompletionSource<bool> changed;
        lock (_gate)
        {
            _settled.Add(outcome.Index, outcome);
            if (outcome.Index != _next) return;
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult(true);
    }

    /// <summary>How many outcomes have been taken.</summary>
    public int Taken
    {
        get { lock (_gate) return _next; }
    }

    public bool TryTakeNext(out DeliveryOutcome outcome)
    {
        lock (_gate)
        {
            if (_settled.TryGetValue(_next, out outcome!))
            {
                _settled.Remove(_next++);
                return true;
            }
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
