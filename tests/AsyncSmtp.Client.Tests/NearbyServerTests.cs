using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsyncSmtp.Client.Tests;

/// <summary>
/// A server that answers within microseconds (loopback, LAN) is served without thread hops: a reply is waited for
/// briefly in the kernel and read on the calling thread, and the connection is made without the runtime's socket
/// engine, which would otherwise wake two more threads for every packet that arrives.
/// </summary>
[CollectionDefinition(nameof(NearbyServerTests), DisableParallelization = true)]
[Collection(nameof(NearbyServerTests))]
public class NearbyServerTests
{
    [Fact]
    public async Task RepliesThatComeAtOnceCostNoThreadHop()
    {
        using var server = new InstantServer();
        using var client = new SmtpClient(new SmtpClientOptions
        {
            Host = "127.0.0.1", Port = server.Port, TlsMode = SmtpTlsMode.None, LocalHostName = "client.test",
        });
        await client.ConnectAsync();
        long before = ThreadPool.CompletedWorkItemCount;
        for (int i = 0; i < 200; i++) Assert.Equal(250, (await client.NoopAsync()).Code);
        long handOffs = ThreadPool.CompletedWorkItemCount - before;
        await client.QuitAsync();
        // Read through the socket engine, each reply is a work item on the thread pool (200 or more). A machine
        // busy elsewhere may delay a few replies past the brief wait.
        Assert.True(handOffs < 40, $"{handOffs} thread-pool work items for 200 NOOPs.");
    }

    /// <summary>A loopback SMTP server on its own thread that answers every line at once.</summary>
    private sealed class InstantServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Thread _thread;

        public InstantServer()
        {
            _listener.Start();
            _thread = new Thread(Serve) { IsBackground = true };
            _thread.Start();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        private void Serve()
        {
            try
            {
                using var connection = _listener.AcceptTcpClient();
                connection.NoDelay = true;
                var stream = connection.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                void Say(string line) => stream.Write(Encoding.ASCII.GetBytes(line + "\r\n"));
                Say("220 instant.test ESMTP");
                while (reader.ReadLine() is { } line)
                {
                    if (line.StartsWith("EHLO", StringComparison.Ordinal)) Say("250 instant.test");
                    else if (line == "QUIT")
                    {
                        Say("221 bye");
                        return;
                    }
                    else Say("250 ok");
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // The test ended the connection.
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
