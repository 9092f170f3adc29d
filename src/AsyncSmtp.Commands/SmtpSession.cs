using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AsyncSmtp.Client;
using AsyncSmtp.Commands;

namespace AsyncSmtp;

/// <summary>
/// An open SMTP connection made by Connect-Smtp: a PowerShell view of the engine's client, whose lock
/// serialises operations from several pipelines, and a router that hands the protocol log to the cmdlet
/// whose work is running, as its verbose output.
/// </summary>
public sealed class SmtpSession : IDisposable
{
    private readonly SmtpClient _client;
    private SmtpExtensions? _extensionSource;
    private SmtpExtension[] _extensions = Array.Empty<SmtpExtension>();
    private int _reconnects;

    private SmtpSession(SmtpClientOptions options, string smtpServer)
    {
        options.ProtocolLogger = Log;
        options.ProtocolLogEnabled = IsLogWanted;
        _client = new SmtpClient(options);
        SmtpServer = smtpServer;
        Port = options.UnixSocketPath is null ? options.EffectivePort : 0;
    }

    /// <summary>The server as the user named it (or the Unix socket path).</summary>
    public string SmtpServer { get; }

    /// <summary>The TCP port; 0 over a Unix domain socket.</summary>
    public int Port { get; }

    public bool IsConnected => _client.IsConnected;
    public bool IsEncrypted => _client.IsEncrypted;

    // The TLS facts stay after Disconnect-Smtp: a script checks them once the work is done.
    public SslProtocols? TlsProtocol => _client.TlsDetails?.Protocol;
    public string? CipherSuite => _client.TlsDetails?.CipherSuite;
    public X509Certificate2? RemoteCertificate => _client.TlsDetails?.Certificate;

    /// <summary>
    /// Why the certificate does not validate (with -SkipCertificateCheck: what was skipped); empty when it does.
    /// </summary>
    public string[] CertificateErrors =>
        _client.TlsDetails?.CertificateErrors.Select(e => e.ToString()).ToArray() ?? Array.Empty<string>();

    public bool IsAuthenticated => _client.IsAuthenticated;
    public string? UserName => _client.AuthenticatedUserName;

    /// <summary>The SASL mechanism of the login (e.g. "PLAIN"), else null.</summary>
    public string? AuthenticationMechanism => _client.AuthenticationMechanism;

    /// <summary>Whether the server accepted EHLO (false: it only took HELO, so no extensions).</summary>
    public bool Esmtp => _client.Esmtp;

    /// <summary>The text of the server's 220 greeting.</summary>
    public string? Greeting => _client.Greeting?.Message;

    /// <summary>The EHLO keywords of the current connection.</summary>
    public SmtpExtension[] Extensions
    {
        get
        {
            var source = _client.Extensions;
            if (!ReferenceEquals(source, _extensionSource))
            {
                _extensions = source.ToArray();
                _extensionSource = source;
            }
            return _extensions;
        }
    }

    public long? MaxMessageSize => _client.MaxMessageSize;

    /// <summary>
    /// How many times Send-SmtpMessage -MaxRetry connected this session again, with its original parameters, after
    /// its connection was lost.
    /// </summary>
    public int Reconnects => _reconnects;
    public EndPoint? LocalEndPoint => _client.LocalEndPoint;
    public EndPoint? RemoteEndPoint => _client.RemoteEndPoint;

    /// <summary>"host:port" (or the socket path): what errors about the connection name as their target.</summary>
    /// <summary>Whether the server announced this EHLO keyword on the current connection.</summary>
    internal bool Offers(string keyword) => _client.Extensions.Contains(keyword);

    internal string Endpoint => Port == 0 ? SmtpServer : FormatEndpoint(SmtpServer, Port);

    internal static string FormatEndpoint(string host, int port) =>
        host.IndexOf(':') >= 0 && !host.StartsWith("[", StringComparison.Ordinal) ? $"[{host}]:{port}"
            : $"{host}:{port}";

    /// <summary>The engine client the cmdlets work through.</summary>
    internal SmtpClient Client => _client;

    /// <summary>Whose turn it is when runspaces share the session (see <see cref="SessionTurns"/>).</summary>
    internal SessionTurns Turns { get; } = new();

    /// <summary>
    /// The client, for a delivery that may have to connect it again: a client handed out disconnected is about to
    /// be reconnected with the session's original parameters, which <see cref="Reconnects"/> counts.
    /// </summary>
    internal SmtpClient ClientToReconnect()
    {
        if (!_client.IsConnected) Interlocked.Increment(ref _reconnects);
        return _client;
    }

    /// <summary>
    /// Where the protocol log goes while a delivery run owns the session (<see cref="Discard"/>: nowhere); null: to
    /// the running cmdlet.
    /// </summary>
    internal Action<SmtpLogEntry>? LogSink { get; set; }

    /// <summary>The <see cref="LogSink"/> of a delivery run that shows no protocol log.</summary>
    internal static readonly Action<SmtpLogEntry> Discard = static _ => { };

    /// <summary>Connects, greets, upgrades and logs in; the session is closed again when any step fails.</summary>
    internal static async Task<SmtpSession> OpenAsync(SmtpClientOptions options, string smtpServer,
        CancellationToken cancellationToken)
    {
        var session = new SmtpSession(options, smtpServer);
        try
        {
            await session._client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>QUIT and close. Idempotent; a connection the server already dropped closes quietly.</summary>
    internal async Task CloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.QuitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpException)
        {
            // Not connected, or the server went away first: either way the session is closed now.
        }
        finally
        {
            _client.Disconnect();
        }
    }

    // The engine makes a log line only when someone will read it: most sends run without -Verbose.
    private bool IsLogWanted() => LogSink is { } sink
        ? !ReferenceEquals(sink, Discard)
        : AsyncPSCmdlet.Current is { IsVerboseEnabled: true };

    /// <summary>The log goes to the cmdlet whose work the engine is running (pipelines may share a session).</summary>
    private void Log(SmtpLogEntry entry)
    {
        if (LogSink is { } sink) sink(entry);
        else if (AsyncPSCmdlet.Current is { IsVerboseEnabled: true } user) user.PostVerbose(entry.ToString());
    }

    public override string ToString() => Endpoint;

    /// <summary>Closes the connection at once, without QUIT.</summary>
    internal void Abort() => _client.Disconnect();

    public void Dispose() => _client.Dispose();
}
