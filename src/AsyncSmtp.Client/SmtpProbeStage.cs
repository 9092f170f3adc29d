namespace AsyncSmtp.Client;

/// <summary>The stages of an SMTP check, in the order they happen.</summary>
public enum SmtpProbeStage
{
    /// <summary>TCP connect (and the handshake, with implicit TLS).</summary>
    Connect,

    /// <summary>The 220 greeting.</summary>
    Greeting,

    /// <summary>EHLO, or HELO when EHLO is refused.</summary>
    Ehlo,

    /// <summary>STARTTLS, the handshake and EHLO again.</summary>
    StartTls,

    /// <summary>AUTH.</summary>
    Auth,

    /// <summary>MAIL FROM (and RSET when no RCPT follows).</summary>
    Mail,

    /// <summary>RCPT TO, once per probed address, and RSET.</summary>
    Rcpt,

    /// <summary>QUIT.</summary>
    Quit,
}
