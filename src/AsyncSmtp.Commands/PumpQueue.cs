using System.Collections.Concurrent;

namespace AsyncSmtp.Commands;

/// <summary>
/// The queue of calls other threads hand to the pipeline thread (<see cref="AsyncPSCmdlet"/>'s pump). Waiting on it
/// does not spin: the pipeline thread waits here for a reply or for room in a delivery run, for milliseconds
/// at a time, and BlockingCollection's semaphore spun first, which on a two-core machine took CPU time from the
/// very threads it was waiting for (a fifth of the pipeline thread's time when four connections were sending).
/// </summary>
internal sealed class PumpQueue<T> : IDisposable
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly ManualResetEventSlim _added = new(initialState: false, spinCount: 0);

    public void Add(T item)
    {
        _items.Enqueue(item);
        _added.Set();
    }

    public bool TryTake(out T item) => _items.TryDequeue(out item!);

    /// <summary>The next item, waiting without spinning until one comes.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled while waiting.</exception>
    public T Take(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_items.TryDequeue(out var item)) return item;
            _added.Reset();
            // One added between the first look and the reset has already been signalled: look again before waiting.
            if (_items.TryDequeue(out item)) return item;
            _added.Wait(cancellationToken);
        }
    }

    public void Dispose() => _added.Dispose();
}
