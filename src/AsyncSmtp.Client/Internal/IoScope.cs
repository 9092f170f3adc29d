using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Authentication;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// One operation's time limit and cancellation. When either fires, the transport is aborted (a
/// connection in an unknown state is never reused), and the failure is translated into the engine's
/// typed exception: timeout, disconnection, or the caller's own cancellation.
/// </summary>
internal sealed class IoScope : IDisposable
{
    private readonly TimeSpan _timeout;
    // Cancelled by the time limit, and by the caller's token (as a linked source would be, without making one per
    // operation); reused for the client's next operation when neither fired (see Start and End).
    private readonly CancellationTokenSource _cts = new();
    private CancellationToken _caller;
    private CancellationTokenRegistration _callerLink;
    private CancellationTokenRegistration _abortOnCancel;
    private long _armedAt;

    public IoScope(Action abort, TimeSpan timeout, CancellationToken caller, bool connectPhase)
    {
        _timeout = timeout;
        Begin(abort, caller, connectPhase);
    }

    /// <summary>
    /// The scope of a client's next operation after the connect: <paramref name="spare"/> (left by
    /// <see cref="End"/>) when there is one with the same time limit, else a new one. A linked token source, its
    /// timer and registrations per operation were a good part of what a message allocated.
    /// </summary>
    public static IoScope Start(ref IoScope? spare, Action abort, TimeSpan timeout, CancellationToken caller)
    {
        var scope = spare;
        spare = null;
        if (scope is null || scope._timeout != timeout) return new IoScope(abort, timeout, caller, connectPhase: false);
        scope.Begin(abort, caller, connectPhase: false);
        return scope;
    }

    private void Begin(Action abort, CancellationToken caller, bool connectPhase)
    {
        _caller = caller;
        ConnectPhase = connectPhase;
        _armedAt = 0;
        _abortOnCancel = _cts.Token.Register(abort);
        // Linked as a linked source links itself, without capturing the execution context: with it captured, four
        // connections sharing one caller token measured 45-58 us a message in A/B runs against 37-50 before reuse.
#if NET6_0_OR_GREATER
        _callerLink = caller.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _cts);
#else
        _callerLink = caller.Register(static source => ((CancellationTokenSource)source!).Cancel(), _cts);
#endif
        Restart();
    }

    /// <summary>
    /// Ends the operation. Returns this scope for the next one when the operation <paramref name="completed"/> and
    /// nothing was cancelled (its timer is stopped); otherwise disposes of it and returns null.
    /// </summary>
    public IoScope? End(bool completed)
    {
        _callerLink.Dispose();
        _abortOnCancel.Dispose();
#if NET6_0_OR_GREATER
        if (completed && !_caller.IsCancellationRequested && _cts.TryReset()) return this;
#endif
        _cts.Dispose();
        return null;
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>
    /// While connecting, failures are connect errors; after the greeting, read timeouts and disconnections.
    /// </summary>
    public bool ConnectPhase { get; set; }

    /// <summary>
    /// Gives the next step a full timeout again (each reply, each chunk of a large body). Re-arming a
    /// timer is costly next to a loopback round trip, so it happens at most every few milliseconds:
    /// a step may get a few milliseconds less than the full timeout, never more.
    /// </summary>
    public void Restart()
    {
        if (_timeout == Timeout.InfiniteTimeSpan) return;
        long now = Stopwatch.GetTimestamp();
        if (_armedAt != 0 && now - _armedAt < _rearmInterval) return;
        _armedAt = now;
        _cts.CancelAfter(_timeout);
    }

    private static readonly long _rearmInterval = Stopwatch.Frequency / 200;

    /// <summary>
    /// For an exception filter: whether <paramref name="ex"/> becomes another exception (the engine's typed
    /// one); when it does not, the original propagates untouched.
    /// </summary>
    public bool Translates(Exception ex, string activity, out Exception translated)
    {
        translated = Translate(ex, activity);
        return !ReferenceEquals(translated, ex);
    }

    private Exception Translate(Exception ex, string activity)
    {
        if (ex is SmtpException) return ex;
        if (_caller.IsCancellationRequested)
            return new OperationCanceledException($"Cancelled while {activity}.", ex, _caller);
        if (_cts.IsCancellationRequested)
        {
            string message =
                $"No answer within {_timeout.TotalSeconds:0.###} s while {activity}; the connection was closed.";
            return ConnectPhase ? new SmtpConnectTimeoutException(message, ex)
                : new SmtpReadTimeoutException(message, ex);
        }
        if (ex is AuthenticationException)
            return new SmtpTlsException($"TLS failed while {activity}: {ex.Message}", ex);
        if (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            string message = ex is EndOfStreamException
                ? $"The server closed the connection while {activity}."
                : $"The connection failed while {activity}: {ex.Message}";
            return ConnectPhase ? new SmtpConnectException(message, null, ex)
                : new SmtpServerDisconnectedException(message, null, ex);
        }
        return ex;
    }

    public void Dispose()
    {
        _callerLink.Dispose();
        _abortOnCancel.Dispose();
        _cts.Dispose();
    }
}
