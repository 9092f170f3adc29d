using System.Net.Sockets;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Connects a TCP socket without the runtime's socket engine: a non-blocking connect, then its completion
/// checked with a zero-time poll between growing delays. A socket the engine has never waited on is not
/// registered with it, so a reply that <see cref="ReplyWait"/> catches wakes no other thread. Socket.ConnectAsync
/// registers the socket on the way, and from then on every arriving packet wakes the engine's thread and a
/// thread-pool thread, which spins before it sleeps again: on a loopback or LAN server, most of the client's CPU.
/// </summary>
internal static class PolledConnect
{
    /// <summary>The longest pause between two checks: the most a slow connect is lengthened by.</summary>
    private const int MaxDelayMilliseconds = 32;

    public static async Task ConnectAsync(Socket socket, EndPoint endPoint, CancellationToken cancellationToken)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(endPoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            int delay = 1;
            while (!socket.Poll(0, SelectMode.SelectWrite) && !socket.Poll(0, SelectMode.SelectError))
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, MaxDelayMilliseconds);
            }
            var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success) throw new SocketException((int)error);
        }
        // NetworkStream needs a blocking socket; the runtime still makes its own reads and writes non-blocking.
        socket.Blocking = true;
    }
}
