namespace AsyncSmtp.Client.Delivery;

/// <summary>
/// Spaces submissions evenly so that no more than a given number a minute start, whichever connection
/// they go over (a provider's limit is per mailbox, not per connection). Every attempt counts, retries too.
/// </summary>
internal sealed class SubmissionPacer
{
    private readonly object _gate = new();
    private readonly TimeSpan _interval;
    private readonly DeliveryClock _clock;
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;

    public SubmissionPacer(int maxMessagesPerMinute, DeliveryClock clock)
    {
        if (maxMessagesPerMinute < 1) throw new ArgumentOutOfRangeException(nameof(maxMessagesPerMinute));
        _interval = TimeSpan.FromTicks(TimeSpan.TicksPerMinute / maxMessagesPerMinute);
        _clock = clock;
    }

    /// <summary>Waits for this submission's slot: the first at once, each next an interval after the last.</summary>
    public Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        var now = _clock.UtcNow;
        DateTimeOffset slot;
        lock (_gate)
        {
            slot = _nextSlot > now ? _nextSlot : now;
            _nextSlot = slot + _interval;
        }
        return _clock.DelayAsync(slot - now, cancellationToken);
    }
}
