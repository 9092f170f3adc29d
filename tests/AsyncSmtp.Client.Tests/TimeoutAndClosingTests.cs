using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsyncSmtp.Client.Tests;

/// <summary>
/// Waits that never end and closings the server announces: each must end as the error the contract names
/// (connect timeout, server disconnected with its text, TLS failure), never as a generic one. Loopback only.
/// </summary>
public class TimeoutAndClosingTests
{
    private static SmtpClientOptions Options(int port, SmtpTlsMode mode, double timeoutSeconds = 1) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        TlsMode = mode,
        LocalHostName = "client.test",
        SkipCertificateCheck = true,
        ConnectTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
    };

    [Fact]
    public async Task AConnectThatNeverCompletesIsAConnectTimeout()
    {
        // A listener that never accepts, its queue filled: the kernel drops further SYNs, the connect hangs.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            for (int i = 0; i < 8; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                filler.Blocking = false;
                try { filler.Connect(IPAddress.Loopback, port); }
                catch (SocketException) { /* in progress, or dropped: either fills the queue */ }
                fillers.Add(filler);
            }
            using var client = new SmtpClient(Options(port, SmtpTlsMode.None));
            var error = await Assert.ThrowsAsync<SmtpConnectTimeoutException>(() => client.ConnectAsync());
            Assert.False(client.IsConnected);
            Assert.Contains("connecting", error.Message);
        }
        finally
        {
            foreach (var filler in fillers) filler.Dispose();
        }
    }

    [Fact]
    public async Task AStalledStartTlsHandshakeIsAConnectTimeout()
    {
        await using var server = await SilentServer.StartAsync(starttls: true);
        using var client = new SmtpClient(Options(server.Port, SmtpTlsMode.StartTls));
        await Assert.ThrowsAsync<SmtpConnectTimeoutException>(() => client.ConnectAsync());
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task AStalledImplicitTlsHandshakeIsAConnectTimeout()
    {
        await using var server = await SilentServer.StartAsync(starttls: false);
        using var client = new SmtpClient(Options(server.Port, SmtpTlsMode.Implicit));
        await Assert.ThrowsAsync<SmtpConnectTimeoutException>(() => client.ConnectAsync());
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task AnIdleTimeout421BeforeTheNextCommandIsTheServerDisconnectingWithItsText()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverTask = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream);
            await stream.WriteAsync("220 hi\r\n"u8.ToArray());
            await reader.ReadLineAsync();
            await stream.WriteAsync("250 hello\r\n"u8.ToArray());
            // postfix after its idle timeout: a 421 nobody asked for, then the close.
            await stream.WriteAsync("421 4.4.2 test.example Error: timeout exceeded\r\n"u8.ToArray());
            socket.Shutdown(SocketShutdown.Send);
            closed.SetResult(true);
            await reader.ReadToEndAsync();
        });
        using var client = new SmtpClient(Options(((IPEndPoint)listener.LocalEndpoint).Port, SmtpTlsMode.None, 10));
        await client.ConnectAsync();
        await closed.Task;
        await Task.Delay(200); // lets the 421 reach the client's socket before the next command

        var error = await Assert.ThrowsAsync<SmtpServerDisconnectedException>(() => client.NoopAsync());
        Assert.Equal(421, error.Code);
        Assert.Contains("timeout exceeded", error.Message);
        Assert.True(error.IsTransient);
        Assert.False(client.IsConnected);
        await serverTask;
    }

    [Fact]
    public async Task AMissingUnixSocketFileIsNamed()
    {
        string path = Path.Combine(Path.GetTempPath(), "asyncsmtp-missing-" + Guid.NewGuid().ToString("N") + ".sock");
        var options = new SmtpClientOptions
        {
            UnixSocketPath = path,
            TlsMode = SmtpTlsMode.None,
            LocalHostName = "client.test",
        };
        using var client = new SmtpClient(options);
        var error = await Assert.ThrowsAsync<SmtpConnectException>(() => client.ConnectAsync());
        Assert.Contains("does not exist", error.Message);
        Assert.Contains(path, error.Message);
    }

    /// <summary>Greets (and offers STARTTLS, answering it with 220), then never says a word of TLS.</summary>
    private sealed class SilentServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _run;
        private readonly CancellationTokenSource _stop = new();

        private SilentServer(TcpListener listener, bool starttls)
        {
            _listener = listener;
            _run = Task.Run(() => RunAsync(starttls));
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static Task<SilentServer> StartAsync(bool starttls)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new SilentServer(listener, starttls));
        }

        private async Task RunAsync(bool starttls)
        {
            using var socket = await _listener.AcceptSocketAsync(_stop.Token);
            using var stream = new NetworkStream(socket);
            if (starttls)
            {
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                await stream.WriteAsync("220 hi\r\n"u8.ToArray());
                await reader.ReadLineAsync();
                await stream.WriteAsync("250-hello\r\n250 STARTTLS\r\n"u8.ToArray());
                await reader.ReadLineAsync();
                await stream.WriteAsync("220 go ahead\r\n"u8.ToArray());
            }
            // The ClientHello is read and never answered.
            var buffer = new byte[4096];
            try
            {
                while (await stream.ReadAsync(buffer, _stop.Token) > 0) { }
            }
            catch (OperationCanceledException) { }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                await _run;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
            {
                // The server task ends by being stopped.
            }
            _stop.Dispose();
        }
    }
}
