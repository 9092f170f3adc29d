using System.Diagnostics;
using System.Net.Sockets;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Waits briefly, asleep in the kernel, for a reply that a nearby server sends within microseconds, so that the
/// read after it completes at once on the same thread. Without it every reply is a hand-off from the socket
/// engine's thread to a thread-pool thread, and idle pool threads spin while they wait for the next one: on a
/// loopback or LAN server that was most of the client's CPU per message (with <see cref="PolledConnect"/>, which
/// keeps the socket out of that engine). A server that answers more slowly than the wait turns the waits off for
/// a while, so a remote server costs one short wait per <see cref="ReadsWithoutWaitAfterTimeout"/> replies; one
/// that has proved nearby gets a longer wait first (<see cref="NearbyAfterReplies"/>).
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

    /// <summary>
    /// Replies in a row that came within <see cref="WaitMicroseconds"/> before a server counts as nearby: its next
    /// wait may last <see cref="NearbyWaitMicroseconds"/>. One slow reply from a loopback or LAN server (its CPU
    /// taken for a moment) then costs that wait, not the rest of the connection through the socket engine, which
    /// the first read that goes pending registers the socket with for good.
    /// </summary>
    public const int NearbyAfterReplies = 16;

    /// <summary>The longest wait for a server that has counted as nearby.</summary>
    public const int NearbyWaitMicroseconds = 50_000;

    private static readonly long _quickTicks = Stopwatch.Frequency * WaitMicroseconds / 1_000_000;

    private readonly Socket _socket;
    private int _readsWithoutWait;
    private int _quickReplies;

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
            long started = Stopwatch.GetTimestamp();
            bool arrived = _socket.Poll(_quickReplies >= NearbyAfterReplies ? NearbyWaitMicroseconds : WaitMicroseconds,
                SelectMode.SelectRead);
            if (arrived && Stopwatch.GetTimestamp() - started <= _quickTicks)
            {
                if (_quickReplies < NearbyAfterReplies) _quickReplies++;
                return;
            }
            _quickReplies = 0;
            if (!arrived) _readsWithoutWait = ReadsWithoutWaitAfterTimeout;
        }
        catch (Exception ex) when (ex is ObjectDisposedException || ex is SocketException)
        {
            // The read that follows reports the closed or failed connection the usual way.
        }
    }
}
