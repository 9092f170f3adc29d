using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsyncSmtp.TestServer;

/// <summary>
/// A loopback HTTP server that answers every GET with one certificate revocation list: the CRL distribution
/// point of certificates issued for revocation tests (<see cref="TestCertificateAuthority.Issue(string, Uri)"/>).
/// </summary>
public sealed class TestCrlServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private volatile byte[] _crl = Array.Empty<byte>();
    private int _requests;

    private TestCrlServer()
    {
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    /// <summary>Starts a server on a free loopback port; set <see cref="Crl"/> before a client asks.</summary>
    public static TestCrlServer Start() => new();

    /// <summary>Where the list is published: http://127.0.0.1:port/ca.crl.</summary>
    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/ca.crl");

    /// <summary>The list served (DER), e.g. <see cref="TestCertificateAuthority.RevocationList"/>.</summary>
    public byte[] Crl
    {
        get => _crl;
        set => _crl = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>How many requests came: whether a client checked revocation at all.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>A URL on loopback where nothing listens: a distribution point that cannot be reached.</summary>
    public static Uri Unreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/ca.crl");
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                await ReadRequestAsync(stream);
                Interlocked.Increment(ref _requests);
                byte[] body = _crl;
                string head = "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\n" +
                    $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client went away; it sees no list, which is what it would see from a broken server.
            }
        }
    }

    /// <summary>Reads up to the blank line that ends the request head (a GET has no body).</summary>
    private async Task ReadRequestAsync(NetworkStream stream)
    {
        var seen = new StringBuilder();
        var buffer = new byte[1024];
        while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int n = await stream.ReadAsync(buffer, _stop.Token);
            if (n == 0) throw new IOException("The client closed the connection before its request ended.");
            seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
    }

    public void Dispose()
    {
        // The source is cancelled, not disposed: answers still running read its token.
        _stop.Cancel();
        _listener.Stop();
    }
}
