using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// The byte stream under a client: TCP, a Unix socket, or the caller's socket or stream, optionally wrapped in TLS.
/// </summary>
internal sealed class SmtpTransport
{
    private readonly Socket? _socket;
    private Stream _stream;
    private int _closed;

    private SmtpTransport(Socket? socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        Reader = new ReplyReader(stream) { Wait = socket is null ? null : new ReplyWait(socket) };
        LocalEndPoint = socket?.LocalEndPoint;
        RemoteEndPoint = socket?.RemoteEndPoint;
    }

    public ReplyReader Reader { get; }

    public SslStream? Tls { get; private set; }

    public EndPoint? LocalEndPoint { get; }

    public EndPoint? RemoteEndPoint { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Data has arrived that no command asked for (security rule 6).</summary>
    public bool HasUnexpectedData
    {
        get
        {
            if (Reader.HasBufferedData) return true;
            // Under TLS the socket may hold protocol records (session tickets) that are not replies.
            if (Tls is not null || _socket is null) return false;
            try
            {
                return _socket.Available > 0;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    public static async Task<SmtpTransport> OpenAsync(SmtpClientOptions options, CancellationToken cancellationToken)
    {
        if (options.ConnectedStream is { } stream) return new SmtpTransport(null, stream);
        if (options.ConnectedSocket is { } given)
        {
            if (!given.Connected)
                throw new SmtpConnectException("The socket given in ConnectedSocket is not connected.");
            return FromSocket(given);
        }
        if (options.UnixSocketPath is { } path)
        {
            // connect() on a missing path says "Cannot assign requested address", which names no path.
            if (!File.Exists(path)) throw new SmtpConnectException($"The socket file '{path}' does not exist.");
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await ConnectSocketAsync(unix, UnixEndPoint(path), cancellationToken).ConfigureAwait(false);
            return FromSocket(unix);
        }
        return FromSocket(await ConnectTcpAsync(options, cancellationToken).ConfigureAwait(false));
    }

    private static SmtpTransport FromSocket(Socket socket)
    {
        // Commands are small and latency-bound: never let Nagle hold one back.
        if (socket.ProtocolType == ProtocolType.Tcp) socket.NoDelay = true;
        return new SmtpTransport(socket, new NetworkStream(socket, ownsSocket: true));
    }

    private static async Task<Socket> ConnectTcpAsync(SmtpClientOptions options, CancellationToken cancellationToken)
    {
        string host = options.Host!;
        IPAddress[] addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? new[] { literal }
            : await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
        if (options.SourceAddress is { } source)
            addresses = addresses.Where(a => a.AddressFamily == source.AddressFamily).ToArray();
        if (addresses.Length == 0)
            throw new SmtpConnectException($"No address of '{host}' can be reached"
                + (options.SourceAddress is null ? "." : $" from {options.SourceAddress}."));
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (options.SourceAddress is { } bind) socket.Bind(new IPEndPoint(bind, 0));
                await PolledConnect.ConnectAsync(socket, new IPEndPoint(address, options.EffectivePort),
                    cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException ex) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new SmtpConnectException($"Could not connect to {host}:{options.EffectivePort}: {last!.Message}", null,
            last);
    }

    private static async Task ConnectSocketAsync(Socket socket, EndPoint endPoint, CancellationToken cancellationToken)
    {
        // netstandard2.0 has no cancellable connect: closing the socket is what aborts it.
        using (cancellationToken.Register(() => socket.Dispose()))
            await socket.ConnectAsync(endPoint).ConfigureAwait(false);
    }

    private static EndPoint UnixEndPoint(string path) =>
#if NET8_0_OR_GREATER
        new UnixDomainSocketEndPoint(path);
#else
        // The netstandard2.0 build is the one .NET Framework (Windows PowerShell 5.1) loads, which has no
        // Unix-socket endpoint; every runtime that has one loads the net8.0 build.
        throw new SmtpConnectException("Unix domain sockets need .NET 8 or later (PowerShell 7.4 or later).");
#endif

    /// <summary>
    /// Wraps the connection in TLS and returns what the handshake showed. Buffered plaintext must already
    /// have been dealt with by the caller. A refusal says why, with the certificate's facts attached.
    /// </summary>
    public async Task<SmtpTlsDetails> UpgradeToTlsAsync(string targetHost, SmtpClientOptions options, bool implicitTls,
        CancellationToken cancellationToken)
    {
        var validator = new CertificateValidator(options, targetHost);
        var sniffer = new FirstBytesStream(_stream);
        var tls = new SslStream(sniffer, leaveInnerStreamOpen: false, validator.Validate);
        using (cancellationToken.Register(Abort))
        {
            try
            {
                await tls.AuthenticateAsClientAsync(targetHost, options.ClientCertificates, options.SslProtocols,
                    options.CheckCertificateRevocation).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                && (ex is AuthenticationException || ex is IOException && implicitTls && sniffer.SawSmtpReply))
            {
                tls.Dispose();
                throw HandshakeFailure(targetHost, validator, implicitTls && sniffer.SawSmtpReply, ex);
            }
        }
        _stream = tls;
        Tls = tls;
        Reader.Stream = tls;
        // SslStream keeps records it has read but not yet returned; a wait on the socket would not see them and
        // would hold a reply that is already here. The handshake has registered the socket with the runtime's
        // socket engine anyway, so the wait would save no more than the one hop.
        Reader.Wait = null;
        var details = validator.Details ?? new SmtpTlsDetails(targetHost, null, Array.Empty<X509Certificate2>(),
            Array.Empty<SmtpCertificateError>(), null);
        details.Protocol = tls.SslProtocol;
        details.CipherSuite = CipherSuiteName();
        return details;
    }

    private static SmtpTlsException HandshakeFailure(string targetHost, CertificateValidator validator,
        bool plaintextReply, Exception ex)
    {
        var details = validator.Details;
        string reason = plaintextReply ? "the server answered in plaintext: this port expects STARTTLS, not TLS at once"
            : validator.RefusedByCaller ? "the server certificate was refused by the caller's validation"
            : details is { CertificateErrors.Count: > 0 } ? TlsFailureText.CertificateRefused(details)
            : ex.Message;
        return new SmtpTlsException($"TLS handshake with {targetHost} failed: {reason}.", ex, details)
        {
            TlsModeHint = plaintextReply ? SmtpTlsModeHint.ExpectsStartTls : SmtpTlsModeHint.None,
        };
    }

    public Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _stream.WriteAsync(buffer, offset, count, cancellationToken);

    /// <summary>Closes everything at once; safe from any thread, any number of times.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Closing a broken connection may fail to flush; it is closed either way.
        }
        _socket?.Dispose();
    }

    public string? CipherSuiteName()
    {
        if (Tls is null) return null;
#if NET8_0_OR_GREATER
        return Tls.NegotiatedCipherSuite.ToString();
#else
        // .NET Framework has no IANA cipher-suite name: only the bulk algorithm and its strength.
        return $"{Tls.CipherAlgorithm} {Tls.CipherStrength}";
#endif
    }
}
