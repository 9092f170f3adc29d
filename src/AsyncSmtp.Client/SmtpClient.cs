using System.Security.Authentication;
using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

/// <summary>
/// An asynchronous SMTP client: one method per SMTP verb plus <see cref="SendAsync"/> for a whole
/// transaction. Commands on one client never interleave: concurrent calls are serialised. An
/// <see cref="SmtpConnectionException"/> (transport failure, timeout, a 421 reply), a cancellation or
/// any failure that is not an <see cref="SmtpCommandException"/> leaves the client disconnected.
/// </summary>
public sealed partial class SmtpClient : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    // The last operation's time limit and cancellation, kept for the next (IoScope.Start); only under _lock.
    private IoScope? _spareScope;
    private readonly SubmissionPipeline _submissions = new();
    private SmtpConnection? _connection;
    private SmtpExtensions _extensions = SmtpExtensions.None;
    private bool _greeted;
    private bool _authenticated;
    // MAIL or RCPT was sent outside a whole transaction (MailAsync, RcptAsync, a raw command): the next
    // transaction starts with RSET, or it would carry that sender and those recipients.
    private bool _transactionOpen;
    private string? _userName;
    private string? _authMechanism;
    private SmtpResponse? _greeting;
    private SmtpTlsDetails? _tls;
    private bool _esmtp;

    /// <summary>A client for one server; nothing happens on the network until <see cref="ConnectAsync"/>.</summary>
    public SmtpClient(SmtpClientOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Where and how the client connects: the instance given to the constructor, not a copy.</summary>
    public SmtpClientOptions Options { get; }

    /// <summary>Whether the connection is open: false after QUIT, a 421 or any failure that closed it.</summary>
    public bool IsConnected => _connection is { IsOpen: true };

    /// <summary>Whether the connection is open and protected by TLS (implicit or after STARTTLS).</summary>
    public bool IsEncrypted => IsConnected && _connection!.IsEncrypted;

    /// <summary>Whether AUTH succeeded on the open connection; false again once it closes.</summary>
    public bool IsAuthenticated => IsConnected && _authenticated;

    /// <summary>The user name of the successful login, else null.</summary>
    public string? AuthenticatedUserName => IsAuthenticated ? _userName : null;

    /// <summary>The negotiated TLS version, when encrypted.</summary>
    public SslProtocols? TlsProtocol => IsEncrypted ? _connection!.Transport.Tls!.SslProtocol : null;

    /// <summary>The negotiated cipher suite name, when encrypted.</summary>
    public string? CipherSuite => IsEncrypted ? _tls?.CipherSuite : null;

    /// <summary>The certificate the server presented on the open encrypted connection, to check or pin.</summary>
    public X509Certificate2? RemoteCertificate => IsEncrypted ? _tls?.Certificate : null;

    /// <summary>What the last TLS handshake of this client showed; kept after disconnecting, null before TLS.</summary>
    public SmtpTlsDetails? TlsDetails => _tls;

    /// <summary>Whether the server accepted EHLO (false: it only took HELO).</summary>
    public bool Esmtp => IsConnected && _esmtp;

    /// <summary>The 220 greeting.</summary>
    public SmtpResponse? Greeting => _greeting;

    /// <summary>The extensions of the last EHLO; empty before EHLO, after HELO, and right after STARTTLS.</summary>
    public SmtpExtensions Extensions => _extensions;

    /// <summary>
    /// The largest message the server takes (SIZE in EHLO), in bytes; larger ones are refused before sending.
    /// </summary>
    public long? MaxMessageSize => _extensions.MaxMessageSize;

    /// <summary>This side of the open socket connection, for logs; null over a caller's stream.</summary>
    public EndPoint? LocalEndPoint => _connection?.LocalEndPoint;

    /// <summary>The server's side of the open socket connection: the address actually reached.</summary>
    public EndPoint? RemoteEndPoint => _connection?.RemoteEndPoint;

    /// <summary>Closes the connection without QUIT. Idempotent.</summary>
    public void Disconnect()
    {
        var connection = Interlocked.Exchange(ref _connection, null);
        if (connection is null) return;
        connection.Close();
        _submissions.ConnectionClosed();
    }

    /// <summary>
    /// Closes the connection without QUIT, as <see cref="Disconnect"/>; call QuitAsync first to end politely.
    /// </summary>
    public void Dispose() => Disconnect();

    /// <summary>
    /// Runs one operation under the client's lock, after the final reply a submitted message still owes.
    /// A failure that is not an <see cref="SmtpCommandException"/> leaves the connection in an unknown
    /// state, so it is closed.
    /// </summary>
    private Task<T> RunAsync<T>(Func<IoScope, Task<T>> operation, CancellationToken cancellationToken) =>
        RunAsync(operation, cancellationToken, owedReplyFirst: true);

    /// <param name="operation">The work, given the operation's time limit and cancellation.</param>
    /// <param name="cancellationToken">The caller's cancellation; it closes the connection.</param>
    /// <param name="owedReplyFirst">
    /// False only for a submission, which reads the owed reply after writing its envelope.
    /// </param>
    private async Task<T> RunAsync<T>(Func<IoScope, Task<T>> operation, CancellationToken cancellationToken,
        bool owedReplyFirst)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wire = _connection;
            if (wire is not { IsOpen: true })
                throw new SmtpNotConnectedException("The client is not connected; connect first.");
            var io = IoScope.Start(ref _spareScope, wire.Close, Options.Timeout, cancellationToken);
            bool completed = false;
            try
            {
                if (owedReplyFirst) await _submissions.ReadOwedReplyAsync(wire, io).ConfigureAwait(false);
                var result = await operation(io).ConfigureAwait(false);
                completed = true;
                return result;
            }
            finally
            {
                _spareScope = io.End(completed);
            }
        }
        catch (Exception ex) when (ex is not SmtpCommandException)
        {
            Disconnect();
            throw;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// The open connection's wire; a connection closed meanwhile (a 421, an abort) is a disconnection.
    /// </summary>
    private SmtpConnection Wire => _connection is { IsOpen: true } wire
        ? wire
        : throw new SmtpServerDisconnectedException("The connection is closed.");

    /// <summary>Forgets what was learnt on the connection (after a new connect, or STARTTLS).</summary>
    private void ForgetSessionState()
    {
        _extensions = SmtpExtensions.None;
        _greeted = false;
        _authenticated = false;
        _userName = null;
        _esmtp = false;
        _authMechanism = null;
        _transactionOpen = false;
    }
}
