using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AsyncSmtp.TestServer.Tests;

/// <summary>A deliberately dumb SMTP client over a raw socket, so the tests see exactly what goes over the wire.</summary>
internal sealed class RawSmtpClient : IAsyncDisposable
{
    // Generous: the machine is shared and loaded; a healthy test never waits this long.
    private static readonly TimeSpan _readTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly SmtpTestServer _server;
    private Stream _stream;
    private readonly List<byte> _pending = new();

    private RawSmtpClient(TcpClient tcp, SmtpTestServer server)
    {
        _tcp = tcp;
        _server = server;
        _stream = tcp.GetStream();
    }

    public static async Task<RawSmtpClient> ConnectAsync(SmtpTestServer server, bool implicitTls = false)
    {
        var tcp = new TcpClient(server.Options.Address.AddressFamily) { NoDelay = true };
        await tcp.ConnectAsync(server.Options.Address, server.Port);
        var client = new RawSmtpClient(tcp, server);
        if (implicitTls)
        {
            await client.HandshakeAsync();
        }

        return client;
    }

    /// <summary>Connects and reads the greeting.</summary>
    /// <summary>Connects, says EHLO, MAIL, RCPT and DATA, and leaves the client ready for the body.</summary>
    public static async Task<RawSmtpClient> OpenDataAsync(SmtpTestServer server)
    {
        var (client, _) = await ConnectAndGreetAsync(server);
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@x>");
        await client.CommandAsync("RCPT TO:<b@x>");
        Assert.StartsWith("354 ", await client.CommandAsync("DATA"));
        return client;
    }

    public static async Task<(RawSmtpClient Client, string Greeting)> ConnectAndGreetAsync(SmtpTestServer server)
    {
        var client = await ConnectAsync(server);
        return (client, await client.ReadReplyAsync());
    }

    public X509Certificate? RemoteCertificate => (_stream as SslStream)?.RemoteCertificate;

    public async Task SendAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one command line and returns the whole reply, lines joined with "\n".</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>Reads one reply (all its lines), joined with "\n".</summary>
    public async Task<string> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new IOException($"Connection closed after: {string.Join("|", lines)}");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return string.Join("\n", lines);
            }
        }
    }

    /// <summary>Reads one CRLF-terminated line; null at end of stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_pending.GetRange(0, newline).ToArray()).TrimEnd('\r');
                _pending.RemoveRange(0, newline + 1);
                return line;
            }

            var buffer = new byte[4096];
            var read = await ReadSomeAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    /// <summary>Reads whatever bytes arrive next (at least one), for raw-byte tests; empty at end of stream.</summary>
    public async Task<byte[]> ReadBytesAsync(int count)
    {
        while (_pending.Count < count)
        {
            var buffer = new byte[4096];
            var read = await ReadSomeAsync(buffer);
            if (read == 0)
            {
                break;
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        var result = _pending.Take(count).ToArray();
        _pending.RemoveRange(0, result.Length);
        return result;
    }

    /// <summary>True when the server closed the connection (FIN or RST) with nothing more to read.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return _pending.Count == 0 && await ReadSomeAsync(new byte[1]) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Runs the client side of the TLS handshake, trusting only the server's own certificate.</summary>
    public async Task HandshakeAsync()
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, _server.CertificateValidationCallback);
        using var timeout = new CancellationTokenSource(_readTimeout);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
        _stream = tls;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task<int> ReadSomeAsync(byte[] buffer, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_readTimeout);
        return await _stream.ReadAsync(buffer, timeout.Token);
    }
}
