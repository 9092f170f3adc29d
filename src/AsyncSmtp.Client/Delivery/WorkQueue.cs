namespace AsyncSmtp.Client.Delivery;

/// <summary>
/// The messages waiting for a connection, first in first out, shared by the connections of one delivery.
/// Taking waits while messages are still unsettled (in flight or waiting for a retry); it returns null
/// once no more input will come and every message has its outcome. Once halted it hands out no message again.
/// </summary>
internal sealed class WorkQueue
{
    private readonly object _gate = new();
    private readonly Queue<DeliveryWork> _ready = new();
    private readonly List<TaskCompletionSource<DeliveryWork?>> _waiters = new();
    private int _unsettled;
    private bool _inputComplete;
    private bool _outcomeAwaited;
    // Completed when no more than _roomAt messages wait for a connection (see WhenWaitingAtMost).
    private TaskCompletionSource<bool>? _room;
    private int _roomAt;
    private bool _halted;

    /// <summary>A new message: unsettled until <see cref="Settled"/>; false (not queued) once halted.</summary>
    public bool AddNew(DeliveryWork work)
    {
        lock (_gate) _unsettled++;
        return Requeue(work);
    }

    /// <summary>A message back for another attempt (still unsettled); false (not queued) once halted.</summary>
    public bool Requeue(DeliveryWork work)
    {
        while (true)
        {
            TaskCompletionSource<DeliveryWork?> waiter;
            lock (_gate)
            {
                if (_halted) return false;
                if (_waiters.Count == 0)
                {
                    _ready.Enqueue(work);
                    return true;
                }
                waiter = _waiters[0];
                _waiters.RemoveAt(0);
            }
            // A waiter cancelled meanwhile cannot take it: hand it to the next one.
            if (waiter.TrySetResult(work)) return true;
        }
    }

    public void Settled()
    {
        lock (_gate) _unsettled--;
        ReleaseIfDone();
    }

    /// <summary>No more new messages: idle connections are woken to send the end of data they hold.</summary>
    public void CompleteInput()
    {
        List<TaskCompletionSource<DeliveryWork?>> idle;
        lock (_gate)
        {
            _inputComplete = true;
            idle = new List<TaskCompletionSource<DeliveryWork?>>(_waiters);
            _waiters.Clear();
        }
        foreach (var waiter in idle) waiter.TrySetResult(IsDoneNow() ? null : DeliveryWork.Wake);
    }

    /// <summary>
    /// No message is handed out any more and no more input comes: returns the messages that were waiting (still
    /// unsettled: the caller settles them). Connections go on with what they hold, then find the queue done.
    /// </summary>
    public List<DeliveryWork> Halt()
    {
        List<DeliveryWork> waiting;
        TaskCompletionSource<bool>? room;
        lock (_gate)
        {
            _halted = true;
            waiting = new List<DeliveryWork>(_ready);
            _ready.Clear();
            room = TakeDueRoom();
        }
        room?.TrySetResult(true);
        CompleteInput();
        return waiting;
    }

    /// <summary>Messages waiting for a connection (not those waiting for a retry: they are not queued yet).</summary>
    public int WaitingCount
    {
        get { lock (_gate) return _ready.Count; }
    }

    public bool InputComplete
    {
        get { lock (_gate) return _inputComplete; }
    }

    /// <summary>
    /// While an outcome is awaited, a connection with nothing to send sends the end of data it holds at once
    /// (the awaited message may be the one held): the idle ones are woken now, the others see it when they go idle.
    /// </summary>
    public void SetOutcomeAwaited(bool awaited)
    {
        List<TaskCompletionSource<DeliveryWork?>>? idle = null;
        lock (_gate)
        {
            _outcomeAwaited = awaited;
            if (awaited && _waiters.Count > 0)
            {
                idle = new List<TaskCompletionSource<DeliveryWork?>>(_waiters);
                _waiters.Clear();
            }
        }
        if (idle is null) return;
        foreach (var waiter in idle) waiter.TrySetResult(DeliveryWork.Wake);
    }

    /// <summary>
    /// Completes when no more than <paramref name="count"/> messages wait for a connection: at once when that is so
    /// now or the queue is halted. One caller at a time.
    /// </summary>
    public Task WhenWaitingAtMost(int count)
    {
        lock (_gate)
        {
            if (_ready.Count <= count || _halted) return Task.CompletedTask;
            _roomAt = count;
            _room = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _room.Task;
        }
    }

    public bool TryTake(out DeliveryWork work)
    {
        TaskCompletionSource<bool>? room;
        lock (_gate)
        {
            if (_ready.Count == 0)
            {
                work = null!;
                return false;
            }
            work = _ready.Dequeue();
            room = TakeDueRoom();
        }
        room?.TrySetResult(true);
        return true;
    }

    /// <summary>
    /// The next message, <see cref="DeliveryWork.Wake"/> (send the end of data held: see
    /// <see cref="SetOutcomeAwaited"/>) to a connection <paramref name="holding"/> an end of data back (a final
    /// reply not yet read), or null when the delivery is over.
    /// </summary>
    public async Task<DeliveryWork?> TakeAsync(bool holding, CancellationToken cancellationToken)
    {
        TaskCompletionSource<DeliveryWork?> waiter;
        while (true)
        {
            if (TryTake(out var work)) return work;
            lock (_gate)
            {
                // Queued since TryTake looked.
                if (_ready.Count > 0) continue;
                if (IsDone) return null;
                if (holding && _outcomeAwaited) return DeliveryWork.Wake;
                waiter = new TaskCompletionSource<DeliveryWork?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add(waiter);
                break;
            }
        }
        using (cancellationToken.Register(() =>
        {
            lock (_gate) _waiters.Remove(waiter);
            waiter.TrySetCanceled();
        }))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Under the lock: the signal of <see cref="WhenWaitingAtMost"/> if due (then taken), else null.</summary>
    private TaskCompletionSource<bool>? TakeDueRoom()
    {
        if (_room is null || (_ready.Count > _roomAt && !_halted)) return null;
        var room = _room;
        _room = null;
        return room;
    }

    private bool IsDone => _inputComplete && _unsettled == 0 && _ready.Count == 0;

    private bool IsDoneNow()
    {
        lock (_gate) return IsDone;
    }

    private void ReleaseIfDone()
    {
        List<TaskCompletionSource<DeliveryWork?>> released;
        lock (_gate)
        {
            if (!IsDone) return;
            released = new List<TaskCompletionSource<DeliveryWork?>>(_waiters);
            _waiters.Clear();
        }
        foreach (var waiter in released) waiter.TrySetResult(null);
    }
}
