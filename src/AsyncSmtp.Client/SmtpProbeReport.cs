namespace AsyncSmtp.Client;

/// <summary>
/// What an <see cref="SmtpProbe"/> found on one server: every stage reached with its time, the
/// greeting, extensions before and after TLS, the TLS and certificate facts, the login and the RCPT
/// answers. A failure is a finding here (<see cref="FailedStage"/>, <see cref="Error"/>), not an exception.
/// </summary>
public sealed class SmtpProbeReport
{
    private readonly List<KeyValuePair<SmtpProbeStage, TimeSpan>> _timings = new();
    private readonly List<SmtpProbeRecipient> _recipients = new();

    /// <summary>The address actually connected to.</summary>
    public IPAddress? Address { get; internal set; }

    /// <summary>The connection (and implicit TLS) was made and the server greeted with 220.</summary>
    public bool Reachable { get; internal set; }

    /// <summary>The greeting's text, whatever its code.</summary>
    public string? Greeting { get; internal set; }

    /// <summary>The name at the start of the EHLO (or HELO) reply.</summary>
    public string? ServerName { get; internal set; }

    /// <summary>EHLO was accepted; false when the server only took HELO.</summary>
    public bool Esmtp { get; internal set; }

    /// <summary>Whether EHLO announced STARTTLS, that is whether the connection could have been encrypted.</summary>
    public bool StartTlsOffered { get; internal set; }

    /// <summary>
    /// The TLS mode actually used: <see cref="SmtpTlsMode.Implicit"/>, <see cref="SmtpTlsMode.StartTls"/> or
    /// <see cref="SmtpTlsMode.None"/>.
    /// </summary>
    public SmtpTlsMode TlsMode { get; internal set; } = SmtpTlsMode.None;

    /// <summary>The EHLO keywords before any STARTTLS.</summary>
    public SmtpExtensions ExtensionsBeforeTls { get; internal set; } = SmtpExtensions.None;

    /// <summary>The EHLO keywords of the connection as finally used (after STARTTLS when it was used).</summary>
    public SmtpExtensions Extensions { get; internal set; } = SmtpExtensions.None;

    /// <summary>The TLS handshake's facts, also when the certificate was refused; null without TLS.</summary>
    public SmtpTlsDetails? Tls { get; internal set; }

    /// <summary>Whether the login worked; null when no credential was given.</summary>
    public bool? Authenticated { get; internal set; }

    /// <summary>The mechanism of the successful login.</summary>
    public string? AuthenticationMechanism { get; internal set; }

    /// <summary>The RCPT answer for each probed address, in order.</summary>
    public IReadOnlyList<SmtpProbeRecipient> RecipientResults => _recipients;

    /// <summary>With a relay probe: true when the server refused every foreign recipient; null otherwise.</summary>
    public bool? RelayRefused { get; internal set; }

    /// <summary>Each stage reached and the time it took, in order.</summary>
    public IReadOnlyList<KeyValuePair<SmtpProbeStage, TimeSpan>> Timings => _timings;

    /// <summary>The stage that failed; null when none did.</summary>
    public SmtpProbeStage? FailedStage { get; internal set; }

    /// <summary>The failure of <see cref="FailedStage"/>.</summary>
    public SmtpException? Error { get; internal set; }

    /// <summary>
    /// Every stage asked for was reached and none failed, the certificate validates when TLS was used, and
    /// a relay probe was refused.
    /// </summary>
    public bool Passed =>
        FailedStage is null && Reachable && (Tls is null || Tls.CertificateValid) && RelayRefused is not false;

    internal void AddTiming(SmtpProbeStage stage, TimeSpan elapsed) =>
        _timings.Add(new KeyValuePair<SmtpProbeStage, TimeSpan>(stage, elapsed));

    internal void AddRecipient(SmtpProbeRecipient recipient) => _recipients.Add(recipient);
}
