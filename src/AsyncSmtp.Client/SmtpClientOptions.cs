using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace AsyncSmtp.Client;

/// <summary>
/// Where and how an <see cref="SmtpClient"/> connects. Validated by <see cref="SmtpClient.ConnectAsync"/>.
/// </summary>
public sealed class SmtpClientOptions
{
    /// <summary>Default timeout of aiosmtplib and of the cmdlets.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Host name or address. Required for TCP; used for certificate name validation in every mode.</summary>
    public string? Host { get; set; }

    /// <summary>0 means the default of the TLS mode: 465 implicit, 587 STARTTLS required, else 25.</summary>
    public int Port { get; set; }

    /// <summary>How TLS is used; opportunistic by default: encrypted whenever the server offers STARTTLS.</summary>
    public SmtpTlsMode TlsMode { get; set; } = SmtpTlsMode.Opportunistic;

    /// <summary>Connect to this Unix domain socket instead of TCP.</summary>
    public string? UnixSocketPath { get; set; }

    /// <summary>Use this already-connected socket instead of opening one. The client owns it from then on.</summary>
    public Socket? ConnectedSocket { get; set; }

    /// <summary>
    /// Use this already-connected stream instead of opening a socket. The client owns it from then on.
    /// </summary>
    public Stream? ConnectedStream { get; set; }

    /// <summary>Local address to bind before connecting over TCP.</summary>
    public IPAddress? SourceAddress { get; set; }

    /// <summary>Name sent in EHLO/HELO; default: this machine's fully qualified name.</summary>
    public string? LocalHostName { get; set; }

    /// <summary>Time allowed for the TCP connect, the TLS handshake and the greeting.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultTimeout;

    /// <summary>
    /// Time allowed for each reply after connecting. <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>The name the server certificate must carry (and the SNI name); default: <see cref="Host"/>.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>Accept any server certificate (no chain or name validation).</summary>
    public bool SkipCertificateCheck { get; set; }

    /// <summary>
    /// Accept a certificate that does not validate, recording why (<see cref="SmtpClient.TlsDetails"/>): a
    /// check that reports rather than refuses. Only for a connection that carries nothing secret.
    /// </summary>
    internal bool AcceptInvalidCertificate { get; set; }

    /// <summary>
    /// Check online (CRL or OCSP, as the certificates name them) whether the server certificate was revoked:
    /// what a check does. A certificate that names no place to check is not a finding.
    /// </summary>
    internal bool CheckCertificateRevocation { get; set; }

    /// <summary>Extra trust anchors (a CA bundle): a chain that ends in one of these is trusted.</summary>
    public X509Certificate2Collection? TrustedRootCertificates { get; set; }

    /// <summary>Client certificates offered in the TLS handshake.</summary>
    public X509CertificateCollection? ClientCertificates { get; set; }

    /// <summary>A validation of the caller's own; replaces the built-in one.</summary>
    public RemoteCertificateValidationCallback? CertificateValidationCallback { get; set; }

    /// <summary>TLS versions allowed; None lets the operating system choose.</summary>
    public SslProtocols SslProtocols { get; set; } = SslProtocols.None;

    /// <summary>Log in with these after connecting (and after STARTTLS).</summary>
    public NetworkCredential? Credential { get; set; }

    /// <summary>
    /// Gives the OAuth bearer token for OAUTHBEARER/XOAUTH2, at each login and once more when the server
    /// refuses a token; the user name comes from <see cref="Credential"/>.
    /// </summary>
    public Func<CancellationToken, Task<string>>? OAuthTokenProvider { get; set; }

    /// <summary>
    /// The mechanisms to try, in order; null: every supported one the server offers, strongest first.
    /// </summary>
    public IReadOnlyList<SmtpAuthMechanism>? AuthMechanisms { get; set; }

    /// <summary>Permit credentials over a connection that is not encrypted.</summary>
    public bool AllowUnencryptedAuthentication { get; set; }

    /// <summary>Receives every protocol line, secrets redacted. Called on the I/O path: keep it quick.</summary>
    public Action<SmtpLogEntry>? ProtocolLogger { get; set; }

    /// <summary>
    /// Asked before each protocol line is logged: while it returns false, <see cref="ProtocolLogger"/> is not called
    /// and the line is not even made (a log shown only when someone asks for it costs nothing otherwise). Null:
    /// every line is logged.
    /// </summary>
    public Func<bool>? ProtocolLogEnabled { get; set; }

    /// <summary>Use PIPELINING (RFC 2920) when the server offers it.</summary>
    public bool UsePipelining { get; set; } = true;

    /// <summary>Use CHUNKING/BDAT (RFC 3030) when the server offers it.</summary>
    public bool UseChunking { get; set; } = true;

    /// <summary>The port to use: <see cref="Port"/>, or the default of the TLS mode.</summary>
    public int EffectivePort => Port != 0 ? Port : TlsMode switch
    {
        SmtpTlsMode.Implicit => 465,
        SmtpTlsMode.StartTls => 587,
        _ => 25,
    };
}
