using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace AsyncSmtp.TestServer;

/// <summary>
/// How an <see cref="SmtpTestServer"/> behaves. Change the options before <see cref="SmtpTestServer.Start"/>:
/// the server takes a copy when it starts.
/// </summary>
public sealed class SmtpTestServerOptions
{
    /// <summary>TCP port to listen on; 0 (the default) picks a free ephemeral port.</summary>
    public int Port { get; set; }

    /// <summary>Loopback address to bind: <see cref="IPAddress.Loopback"/> (default) or <see cref="IPAddress.IPv6Loopback"/>.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>Speak TLS from the first byte (SMTPS, port 465 style).</summary>
    public bool ImplicitTls { get; set; }

    /// <summary>Advertise and accept STARTTLS on plaintext connections.</summary>
    public bool OfferStartTls { get; set; } = true;

    /// <summary>Hide AUTH before TLS and answer AUTH on a plaintext connection with 538.</summary>
    public bool RequireTlsForAuth { get; set; }

    /// <summary>
    /// The EHLO keyword lines, in order. STARTTLS is added by the server when it applies, so it does not
    /// belong here. The server enforces what is listed: BDAT needs CHUNKING, MAIL/RCPT parameters need
    /// their extension, AUTH mechanisms must be on the AUTH line, SIZE is a hard limit.
    /// </summary>
    public IList<string> Extensions { get; set; } = new List<string>
    {
        "PIPELINING",
        "SIZE 10485760",
        "8BITMIME",
        "ENHANCEDSTATUSCODES",
        "SMTPUTF8",
        "DSN",
        "CHUNKING",
        "AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2",
    };

    /// <summary>Accounts for AUTH: user name to password (for XOAUTH2 the password is the bearer token).</summary>
    public IDictionary<string, string> Users { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The greeting sent on connect, complete with its reply code; may hold several lines.</summary>
    public string Greeting { get; set; } = "220 localhost AsyncSmtp test server ESMTP";

    /// <summary>When false EHLO is answered with 502 so that a client has to fall back to HELO.</summary>
    public bool EhloSupported { get; set; } = true;

    /// <summary>The name the server gives in its EHLO/HELO reply and CRAM-MD5 challenge.</summary>
    public string ServerName { get; set; } = "localhost";

    /// <summary>Command lines longer than this (without CRLF) are refused with 500.</summary>
    public int MaxLineLength { get; set; } = 4096;

    /// <summary>Message bodies (DATA or all BDAT chunks) above this many bytes are read, discarded and refused with 552.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>End SCRAM logins with a wrong server signature, as a server without the password would.</summary>
    public bool ForgeScramSignature { get; set; }

    /// <summary>A certificate with a private key to use instead of the one made at run time.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Random drops, deferrals and delays for soak tests; null (the default) for none.</summary>
    public SmtpFaultPlan? Faults { get; set; }

    internal SmtpTestServerOptions Snapshot() => new()
    {
        Port = Port,
        Address = Address,
        ImplicitTls = ImplicitTls,
        OfferStartTls = OfferStartTls,
        RequireTlsForAuth = RequireTlsForAuth,
        Extensions = Extensions.ToList(),
        Users = new Dictionary<string, string>(Users, StringComparer.Ordinal),
        Greeting = Greeting,
        EhloSupported = EhloSupported,
        ServerName = ServerName,
        MaxLineLength = MaxLineLength,
        MaxMessageBytes = MaxMessageBytes,
        Certificate = Certificate,
        ForgeScramSignature = ForgeScramSignature,
        Faults = Faults,
    };
}
