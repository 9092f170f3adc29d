using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace AsyncSmtp.Client;

/// <summary>
/// An asynchronous SMTP client: one method per SMTP verb plus <see cref="SendAsync"/> for a whole
/// transaction. Commands on one client never interleave: concurrent calls are serialised.
/// </summary>
public sealed partial class SmtpClient : IDisposable
{
    public SmtpClient(SmtpClientOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    public SmtpClientOptions Options { get; }

    public bool IsConnected => throw new NotImplementedException();
    public bool IsEncrypted => throw new NotImplementedException();
    public bool IsAuthenticated => throw new NotImplementedException();
    /// <summary>The user name of the successful login, else null.</summary>
    public string? AuthenticatedUserName => throw new NotImplementedException();
    /// <summary>The negotiated TLS version, when encrypted.</summary>
    public SslProtocols? TlsProtocol => throw new NotImplementedException();
    /// <summary>The negotiated cipher suite name, when encrypted.</summary>
    public string? CipherSuite => throw new NotImplementedException();
    public X509Certificate2? RemoteCertificate => throw new NotImplementedException();
    /// <summary>The 220 greeting.</summary>
    public SmtpResponse? Greeting => throw new NotImplementedException();
    /// <summary>The extensions of the last EHLO; empty before EHLO and after HELO.</summary>
    public SmtpExtensions Extensions => throw new NotImplementedException();
    public long? MaxMessageSize => Extensions.MaxMessageSize;
    public EndPoint? LocalEndPoint => throw new NotImplementedException();
    public EndPoint? RemoteEndPoint => throw new NotImplementedException();

    /// <summary>Connects, reads the greeting, sends EHLO (HELO on refusal), upgrades with STARTTLS per the TLS mode, and logs in when credentials are set.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<SmtpResponse> EhloAsync(string? hostName = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<SmtpResponse> HeloAsync(string? hostName = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<SmtpResponse> StartTlsAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Logs in with the first mechanism that works among <paramref name="mechanisms"/> (default: all the server offers, strongest first).</summary>
    public Task<SmtpResponse> AuthenticateAsync(NetworkCredential credential, IReadOnlyList<SmtpAuthMechanism>? mechanisms = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    /// <summary>XOAUTH2 with a bearer token.</summary>
    public Task<SmtpResponse> AuthenticateOAuth2Async(string userName, string accessToken, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<SmtpResponse> MailAsync(string sender, IEnumerable<string>? parameters = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<SmtpResponse> RcptAsync(string recipient, IEnumerable<string>? parameters = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    /// <summary>DATA: the content is normalised to CRLF and dot-stuffed as it is sent.</summary>
    public Task<SmtpResponse> DataAsync(SmtpContent content, IProgress<long>? progress = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<SmtpResponse> RsetAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<SmtpResponse> NoopAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<SmtpResponse> VrfyAsync(string address, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<SmtpResponse> ExpnAsync(string list, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<SmtpResponse> HelpAsync(string? topic = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    /// <summary>QUIT and close. A drop right after QUIT counts as a clean 221.</summary>
    public Task<SmtpResponse> QuitAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
    /// <summary>Sends one raw command line and returns the reply; 4xx/5xx are returned, not thrown.</summary>
    public Task<SmtpResponse> ExecuteAsync(string commandLine, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>A whole transaction: MAIL, RCPT for each recipient, DATA or BDAT; pipelined when offered. RSET after a failure.</summary>
    public Task<SmtpTransactionResult> SendAsync(SmtpEnvelope envelope, SmtpContent content, IProgress<long>? progress = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Closes the connection without QUIT. Idempotent.</summary>
    public void Disconnect() => throw new NotImplementedException();

    public void Dispose() => Disconnect();
}
