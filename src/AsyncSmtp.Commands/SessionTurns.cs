using System.Management.Automation.Runspaces;

namespace AsyncSmtp.Commands;

/// <summary>
/// Whose turn it is on a session shared by runspaces. Send-SmtpMessage leaves a message's end of data held
/// between pipeline records (it leaves with the next message); any other command on the connection would send
/// it. Another runspace's command must not: if the pipeline that holds it were stopped meanwhile (Ctrl+C,
/// Select-Object -First), the message would be delivered without a result. So a pipeline keeps the turn while
/// it holds a message, and a command from another runspace waits until it is given up: at once when nothing is
/// held, else at the end of the holder's next record (it then reads its replies first) or when it ends. Commands
/// of the holder's own runspace (the pipeline itself, nested or downstream commands) never wait: the holder is
/// on their stack and reports what they release.
/// </summary>
internal sealed class SessionTurns
{
    private readonly object _gate = new();
    private object? _holder;
    private TaskCompletionSource<bool>? _released;
    // Callers of other runspaces waiting for the turn, and whether a release promised it to them: the releaser's
    // next record must not take it back before they had it (it would, when its records complete at once).
    private int _waiting;
    private bool _promised;

    /// <summary>Who is asking: the runspace of the calling pipeline thread.</summary>
    public static object Caller => (object?)Runspace.DefaultRunspace ?? Thread.CurrentThread;

    /// <summary>Whether a command of another runspace waits for the turn.</summary>
    public bool IsWanted
    {
        get { lock (_gate) return _waiting > 0; }
    }

    /// <summary>Waits until the turn is free or already <paramref name="caller"/>'s, and takes it.</summary>
    public async Task TakeAsync(object caller, CancellationToken cancellationToken)
    {
        bool waited = false;
        while (true)
        {
            Task released;
            lock (_gate)
            {
                if (ReferenceEquals(_holder, caller)) return;
                if (_holder is null && (waited || !_promised))
                {
                    _holder = caller;
                    if (waited) _waiting--;
                    _promised = false;
                    return;
                }
                if (!waited) _waiting++;
                waited = true;
                _released ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                released = _released.Task;
            }
            var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
            await Task.WhenAny(released, cancelled).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                lock (_gate)
                {
                    _waiting--;
                    if (_waiting == 0) _promised = false;
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>Gives the turn up, if <paramref name="caller"/> has it; whoever waits goes on, and first.</summary>
    public void Release(object caller)
    {
        TaskCompletionSource<bool>? released;
        lock (_gate)
        {
            if (!ReferenceEquals(_holder, caller)) return;
            _holder = null;
            _promised = _waiting > 0;
            released = _released;
            _released = null;
        }
        released?.TrySetResult(true);
    }

    /// <summary>Runs one command that holds nothing afterwards (a raw command, QUIT) in the caller's turn.</summary>
    public async Task<T> RunAsync<T>(object caller, Func<Task<T>> command, CancellationToken cancellationToken)
    {
        await TakeAsync(caller, cancellationToken).ConfigureAwait(false);
        try
        {
            return await command().ConfigureAwait(false);
        }
        finally
        {
            Release(caller);
        }
    }
}
