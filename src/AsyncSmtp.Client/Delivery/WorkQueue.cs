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
    private bool _wakePending;
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
        lock (_gate)
        {
            _halted = true;
            waiting = new List<DeliveryWork>(_ready);
            _ready.Clear();
        }
        CompleteInput();
        return waiting;
    }

    public bool InputComplete
    {
        get { lock (_gate) return _inputComplete; }
    }

    /// <summary>Makes one idle connection (or the next to go idle) send the end of data it holds.</summary>
    public void Wake()
    {
        TaskCompletionSource<DeliveryWork?>? waiter = null;
        lock (_gate)
        {
            if (_waiters.Count == 0) _wakePending = true;
            else
            {
                waiter = _waiters[0];
                _waiters.RemoveAt(0);
            }
        }
        waiter?.TrySetResult(DeliveryWork.Wake);
    }

    public bool TryTake(out DeliveryWork work)
    {
        lock (_gate)
        {
            if (_ready.Count > 0)
            {
                work = _ready.Dequeue();
                return true;
            }
        }
        work = null!;
        return false;
    }

    /// <summary>The next message, <see cref="DeliveryWork.Wake"/>, or null when the delivery is over.</summary>
    public async Task<DeliveryWork?> TakeAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<DeliveryWork?> waiter;
        lock (_gate)
        {
            if (_ready.Count > 0) return _ready.Dequeue();
            if (IsDone) return null;
            if (_wakePending)
            {
                _wakePending = false;
                return DeliveryWork.Wake;
            }
            waiter = new TaskCompletionSource<DeliveryWork?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add(waiter);
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
