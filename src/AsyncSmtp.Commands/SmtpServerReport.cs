using System.Collections.Specialized;
using System.Management.Automation;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AsyncSmtp.Client;

namespace AsyncSmtp;

/// <summary>
/// What Test-SmtpServer found on one server and port: findings to assert on with Pester, failures
/// included (<see cref="FailedStage"/>, <see cref="Error"/>).
/// </summary>
public sealed class SmtpServerReport
{
    internal SmtpServerReport(string smtpServer, int port, int? mxPreference)
    {
        SmtpServer = smtpServer;
        Port = port;
        MxPreference = mxPreference;
    }

    /// <summary>A host that could not even be connected to: <paramref name="error"/> says why.</summary>
    internal SmtpServerReport(string smtpServer, int port, int? mxPreference, ErrorRecord error)
        : this(smtpServer, port, mxPreference)
    {
        FailedStage = nameof(SmtpProbeStage.Connect);
        Error = error;
    }

    /// <summary>The report of a probe; <paramref name="error"/> is the failure as an ErrorRecord.</summary>
    internal SmtpServerReport(string smtpServer, int port, int? mxPreference, SmtpProbeReport probe, ErrorRecord? error)
        : this(smtpServer, port, mxPreference)
    {
        Address = probe.Address;
        Reachable = probe.Reachable;
        Greeting = probe.Greeting;
        ServerName = probe.ServerName;
        Esmtp = probe.Esmtp;
        StartTlsOffered = probe.StartTlsOffered;
        TlsMode = probe.TlsMode == SmtpTlsMode.None ? "None" : probe.TlsMode.ToString();
        ExtensionsBeforeTls = probe.ExtensionsBeforeTls.ToArray();
        Extensions = probe.Extensions.ToArray();
        AuthMechanismsBeforeTls = probe.ExtensionsBeforeTls.AuthMechanisms.ToArray();
        AuthMechanisms = probe.Extensions.AuthMechanisms.ToArray();
        if (probe.Tls is { } tls)
        {
            TlsProtocol = tls.Protocol;
            CipherSuite = tls.CipherSuite;
            Certificate = tls.Certificate;
            CertificateChain = tls.Chain.ToArray();
            CertificateNames = tls.CertificateNames.ToArray();
            CertificateExpires = tls.Certificate?.NotAfter;
            CertificateDaysLeft = tls.Certificate is { } c
                ? (int)Math.Floor((c.NotAfter - DateTime.Now).TotalDays)
                : null;
            CertificateValid = tls.CertificateValid;
            CertificateErrors = tls.CertificateErrors.Select(e => e.ToString()).ToArray();
        }
        Authenticated = probe.Authenticated;
        AuthenticationMechanism = probe.AuthenticationMechanism;
        RecipientResults = probe.RecipientResults.Select(r => new SmtpRecipientResult(r)).ToArray();
        RelayRefused = probe.RelayRefused;
        foreach (var timing in probe.Timings) Timings[timing.Key.ToString()] = timing.Value;
        FailedStage = probe.FailedStage?.ToString();
        Error = error;
        Passed = probe.Passed;
    }

    /// <summary>The server as asked (or the MX host).</summary>
    public string SmtpServer { get; }

    public int Port { get; }

    /// <summary>The IP address actually connected to.</summary>
    public IPAddress? Address { get; internal set; }

    /// <summary>
    /// With -Domain: this host's MX preference (0 for a null MX; null when the domain's own address is used).
    /// </summary>
    public int? MxPreference { get; }

    /// <summary>TCP (and implicit TLS) connect succeeded and a 220 came.</summary>
    public bool Reachable { get; }

    /// <summary>The greeting banner.</summary>
    public string? Greeting { get; }

    /// <summary>The name in the first line of the EHLO (or HELO) reply.</summary>
    public string? ServerName { get; }

    /// <summary>EHLO was accepted (false: the server only took HELO).</summary>
    public bool Esmtp { get; }

    public bool StartTlsOffered { get; }

    /// <summary>Implicit, StartTls or None, as actually used.</summary>
    public string TlsMode { get; } = "None";

    public SmtpExtension[] ExtensionsBeforeTls { get; } = Array.Empty<SmtpExtension>();

    public SmtpExtension[] Extensions { get; } = Array.Empty<SmtpExtension>();

    /// <summary>AUTH mechanisms offered before TLS: a server that offers them in plaintext is a finding.</summary>
    public string[] AuthMechanismsBeforeTls { get; } = Array.Empty<string>();

    public string[] AuthMechanisms { get; } = Array.Empty<string>();

    public SslProtocols? TlsProtocol { get; }

    public string? CipherSuite { get; }

    public X509Certificate2? Certificate { get; }

    /// <summary>The chain as built, from the server certificate up.</summary>
    public X509Certificate2[] CertificateChain { get; } = Array.Empty<X509Certificate2>();

    /// <summary>The certificate's DNS names: its subject alternative names, else its common name.</summary>
    public string[] CertificateNames { get; } = Array.Empty<string>();

    /// <summary>The certificate's NotAfter (local time).</summary>
    public DateTime? CertificateExpires { get; }

    /// <summary>Whole days until the certificate expires; negative when it has.</summary>
    public int? CertificateDaysLeft { get; }

    /// <summary>Whether the certificate validates as Connect-Smtp would check it; null without TLS.</summary>
    public bool? CertificateValid { get; }

    /// <summary>
    /// NameMismatch, Expired, NotYetValid, UntrustedRoot, PartialChain, Revoked, RevocationUnknown or Other.
    /// </summary>
    public string[] CertificateErrors { get; } = Array.Empty<string>();

    /// <summary>With a credential: whether the login worked; null without one.</summary>
    public bool? Authenticated { get; }

    public string? AuthenticationMechanism { get; }

    public SmtpRecipientResult[] RecipientResults { get; } = Array.Empty<SmtpRecipientResult>();

    /// <summary>With -TestRelay: true when the server refused the foreign recipient; null otherwise.</summary>
    public bool? RelayRefused { get; }

    /// <summary>Stage name to TimeSpan, for each stage reached, in order.</summary>
    public OrderedDictionary Timings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The stage that failed; null when none did.</summary>
    public string? FailedStage { get; }

    /// <summary>The failure, with the ErrorId Connect-Smtp would give it; null when none.</summary>
    public ErrorRecord? Error { get; }

    /// <summary>
    /// Reached the stage asked for, nothing failed, the certificate is valid when TLS was used, and relaying
    /// was refused when tested.
    /// </summary>
    public bool Passed { get; }

    public override string ToString() => SmtpSession.FormatEndpoint(SmtpServer, Port);
}
