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
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _caller;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenRegistration _abortOnCancel;
    private long _armedAt;

    public IoScope(Action abort, TimeSpan timeout, CancellationToken caller, bool connectPhase)
    {
        _caller = caller;
        _timeout = timeout;
        ConnectPhase = connectPhase;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(caller);
        Restart();
        _abortOnCancel = _cts.Token.Register(abort);
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
        _abortOnCancel.Dispose();
        _cts.Dispose();
    }
}
