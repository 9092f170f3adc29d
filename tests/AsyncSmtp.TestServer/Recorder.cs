namespace AsyncSmtp.TestServer;

/// <summary>The server-wide record shared by all sessions, and waiting for messages to arrive.</summary>
internal sealed class Recorder
{
    private readonly object _gate = new();
    private readonly List<ReceivedMessage> _messages = new();
    private readonly List<string> _commands = new();
    private readonly List<SessionRecord> _sessions = new();
    private TaskCompletionSource _changed = NewSignal();
    private int _handedOut;

    public IReadOnlyList<ReceivedMessage> Messages
    {
        get { lock (_gate) { return _messages.ToArray(); } }
    }

    public IReadOnlyList<string> Commands
    {
        get { lock (_gate) { return _commands.ToArray(); } }
    }

    public IReadOnlyList<SessionRecord> Sessions
    {
        get { lock (_gate) { return _sessions.ToArray(); } }
    }

    public void AddSession(SessionRecord session)
    {
        lock (_gate) { _sessions.Add(session); }
    }

    public void AddCommand(string line)
    {
        lock (_gate) { _commands.Add(line); }
    }

    public void AddMessage(ReceivedMessage message)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _messages.Add(message);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
            _commands.Clear();
            _sessions.Clear();
            _handedOut = 0;
        }
    }

    /// <summary>
    /// Returns the oldest message no earlier wait has returned, waiting for it to arrive if needed, so
    /// a message that arrived before the call is never missed.
    /// </summary>
    public async Task<ReceivedMessage> WaitForNextAsync(TimeSpan timeout)
    {
        var messages = await WaitAsync(handedOut => handedOut + 1, timeout).ConfigureAwait(false);
        return messages[^1];
    }

    /// <summary>Waits until at least <paramref name="count"/> messages have been accepted in all, and returns them.</summary>
    public Task<IReadOnlyList<ReceivedMessage>> WaitForCountAsync(int count, TimeSpan timeout) =>
        WaitAsync(_ => count, timeout);

    private async Task<IReadOnlyList<ReceivedMessage>> WaitAsync(Func<int, int> wanted, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            int target;
            lock (_gate)
            {
                target = wanted(_handedOut);
                if (_messages.Count >= target)
                {
                    _handedOut = Math.Max(_handedOut, target);
                    return _messages.Take(target).ToArray();
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The test server had accepted {Messages.Count} message(s), not {target}, after {timeout.TotalMilliseconds:0} ms.");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
