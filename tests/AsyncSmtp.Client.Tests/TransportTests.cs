using System.Net;
using System.Net.Sockets;
using System.Text;
using AsyncSmtp.TestServer;

namespace AsyncSmtp.Client.Tests;

public class TransportTests
{
    private static SmtpEnvelope Envelope => new("a@example.com", new SmtpRecipient[] { "b@example.com" });

    [Fact]
    public async Task ConnectsOverIPv6AndFromAGivenSourceAddress()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { Address = IPAddress.IPv6Loopback });
        using var client = new SmtpClient(new SmtpClientOptions
        {
            Host = "::1", Port = server.Port, TlsMode = SmtpTlsMode.None, SourceAddress = IPAddress.IPv6Loopback,
        });
        await client.ConnectAsync();
        Assert.Equal(IPAddress.IPv6Loopback, ((IPEndPoint)client.LocalEndPoint!).Address);
        Assert.Equal(server.Port, ((IPEndPoint)client.RemoteEndPoint!).Port);
    }

    [Fact]
    public async Task ARefusedConnectionIsAConnectError()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0)) { probe.Start(); port = ((IPEndPoint)probe.LocalEndpoint).Port; }
        using var client = new SmtpClient(new SmtpClientOptions { Host = "127.0.0.1", Port = port });
        var ex = await Assert.ThrowsAsync<SmtpConnectException>(() => client.ConnectAsync());
        Assert.IsNotType<SmtpConnectTimeoutException>(ex);
    }

    [Fact]
    public async Task ASlowGreetingIsAConnectTimeoutAndASlowReplyAReadTimeout()
    {
        await using var server = SmtpTestServer.StartNew();
        server.OnGreeting().Once().Delay(3000).ThenDefault();
        var options = new SmtpClientOptions { Host = server.Host, Port = server.Port, TlsMode = SmtpTlsMode.None, ConnectTimeout = TimeSpan.FromMilliseconds(300) };
        using var client = new SmtpClient(options);
        await Assert.ThrowsAsync<SmtpConnectTimeoutException>(() => client.ConnectAsync());

        server.On("NOOP").Hang();
        options.Timeout = TimeSpan.FromMilliseconds(300);
        options.ConnectTimeout = TimeSpan.FromSeconds(20);
        await client.ConnectAsync();
        await Assert.ThrowsAsync<SmtpReadTimeoutException>(() => client.NoopAsync());
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task EachOperationGetsItsOwnTimeLimitAndCancellationThoughTheyShareOneScope()
    {
        // A client keeps the last operation's time limit and cancellation for the next (IoScope.Start): operations
        // that completed must not leave anything behind, and a cancelled one must not be used again.
        await using var server = SmtpTestServer.StartNew();
        var options = new SmtpClientOptions
        {
            Host = server.Host, Port = server.Port, TlsMode = SmtpTlsMode.None, Timeout = TimeSpan.FromMilliseconds(400),
        };
        using var client = new SmtpClient(options);
        await client.ConnectAsync();
        using (var finished = new CancellationTokenSource())
        {
            for (var i = 0; i < 3; i++) await client.NoopAsync(finished.Token);
            // The caller's token of an operation that completed no longer reaches the connection.
            finished.Cancel();
        }
        await Task.Delay(500); // longer than the time limit: the timer of the last operation was stopped
        await client.NoopAsync();
        Assert.True(client.IsConnected);

        // The time limit still holds after operations that shared the scope.
        server.On("NOOP").Once().Hang();
        await Assert.ThrowsAsync<SmtpReadTimeoutException>(() => client.NoopAsync());
        Assert.False(client.IsConnected);

        // A cancelled operation's scope is not used again: the next operation, on a new connection, succeeds.
        await client.ConnectAsync();
        server.On("NOOP").Once().Hang();
        using (var cancel = new CancellationTokenSource(100))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.NoopAsync(cancel.Token));
        await client.ConnectAsync();
        await client.NoopAsync();
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ConnectsOverAUnixDomainSocket()
    {
        string path = Path.Combine(Path.GetTempPath(), $"asyncsmtp-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var serverTask = Task.Run(async () =>
        {
            using var socket = await listener.AcceptAsync();
            using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await stream.WriteAsync("220 unix ready\r\n"u8.ToArray());
            Assert.StartsWith("EHLO", await reader.ReadLineAsync());
            await stream.WriteAsync("250 hello\r\n"u8.ToArray());
            Assert.Equal("QUIT", await reader.ReadLineAsync());
            await stream.WriteAsync("221 bye\r\n"u8.ToArray());
        });
        try
        {
            using var client = new SmtpClient(new SmtpClientOptions { UnixSocketPath = path, TlsMode = SmtpTlsMode.None });
            await client.ConnectAsync();
            Assert.Equal("unix ready", client.Greeting!.Message);
            await client.QuitAsync();
            await serverTask;
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task UsesACallersConnectedSocket()
    {
        await using var server = SmtpTestServer.StartNew();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        using var client = new SmtpClient(new SmtpClientOptions { ConnectedSocket = socket, TlsMode = SmtpTlsMode.None });
        await client.ConnectAsync();
        Assert.Equal(250, (await client.NoopAsync()).Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DeliversALargeMessageByteExactWithAndWithoutChunking(bool chunking)
    {
        await using var server = SmtpTestServer.StartNew();
        var body = new StringBuilder("Subject: big\r\n\r\n");
        var random = new Random(7);
        while (body.Length < 3_000_000)
            body.Append(random.Next(10) == 0 ? "." : "").Append(new string((char)('a' + random.Next(26)), random.Next(1, 200))).Append("\r\n");
        byte[] bytes = Encoding.ASCII.GetBytes(body.ToString());
        var progress = new List<long>();
        using var client = new SmtpClient(new SmtpClientOptions { Host = server.Host, Port = server.Port, TlsMode = SmtpTlsMode.None, UseChunking = chunking });
        await client.ConnectAsync();
        var result = await client.SendAsync(Envelope, SmtpContent.FromStream(new MemoryStream(bytes)), new SynchronousProgress(progress));
        var received = await server.WaitForMessageAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(chunking, received.ViaBdat);
        Assert.Equal(bytes, received.Data);
        Assert.Contains($"SIZE={bytes.Length}", received.MailParameters);
        Assert.Equal(bytes.Length, progress[^1]);
        Assert.True(progress.Count > 10);
        Assert.Equal(250, result.Response.Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SubmittedMessagesAllArriveInOrder(bool chunking)
    {
        await using var server = SmtpTestServer.StartNew();
        using var client = new SmtpClient(new SmtpClientOptions { Host = server.Host, Port = server.Port, TlsMode = SmtpTlsMode.None, UseChunking = chunking });
        await client.ConnectAsync();
        var results = new List<Task<SmtpTransactionResult>>();
        for (int i = 0; i < 200; i++)
            results.Add((await client.SubmitAsync(Envelope, SmtpContent.FromBytes(Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\n.body {i}\r\n")))).Result);
        await client.QuitAsync();
        var queueIds = (await Task.WhenAll(results)).Select(r => r.Response.Message).ToList();
        var received = server.Messages;
        Assert.Equal(200, received.Count);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal($"Subject: {i}\r\n\r\n.body {i}\r\n", received[i].Text);
            Assert.Contains(received[i].QueueId, queueIds[i]);
            Assert.Equal(chunking, received[i].ViaBdat);
        }
    }

    private sealed class SynchronousProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value) { lock (values) values.Add(value); }
    }
}
