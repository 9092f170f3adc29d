using System.Net.Sockets;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Waits briefly, asleep in the kernel, for a reply that a nearby server sends within microseconds, so that the
/// read after it completes at once on the same thread. Without it every reply is a hand-off from the socket
/// engine's thread to a thread-pool thread, and idle pool threads spin while they wait for the next one: on a
/// loopback or LAN server that was most of the client's CPU per message (with <see cref="PolledConnect"/>, which
/// keeps the socket out of that engine). A server that answers more slowly than the wait turns the waits off for
/// a while, so a remote server costs one short wait per <see cref="ReadsWithoutWaitAfterTimeout"/> replies.
/// </summary>
internal sealed class ReplyWait
{
    /// <summary>
    /// How long one wait may hold the calling thread. poll() counts whole milliseconds; with 1 ms a few dozen waits
    /// a run timed out on a busy two-core machine, each sending its connection through the socket engine for good.
    /// </summary>
    public const int WaitMicroseconds = 5000;

    /// <summary>Reads after a wait that timed out, before waiting is tried again.</summary>
    public const int ReadsWithoutWaitAfterTimeout = 32;

    private readonly Socket _socket;
    private int _readsWithoutWait;

    public ReplyWait(Socket socket) => _socket = socket;

    /// <summary>Called before a read that would otherwise go pending.</summary>
    public void BeforeRead()
    {
        if (_readsWithoutWait > 0)
        {
            _readsWithoutWait--;
            return;
        }
        try
        {
            if (!_socket.Poll(WaitMicroseconds, SelectMode.SelectRead))
                _readsWithoutWait = ReadsWithoutWaitAfterTimeout;
        }
        catch (Exception ex) when (ex is ObjectDisposedException || ex is SocketException)
        {
            // The read that follows reports the closed or failed connection the usual way.
        }
    }
}
