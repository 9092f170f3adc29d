namespace AsyncSmtp.Client;

/// <summary>How the connection is encrypted.</summary>
public enum SmtpTlsMode
{
    /// <summary>
    /// Upgrade with STARTTLS when the server offers it; a failed upgrade is an error, never a silent fallback.
    /// </summary>
    Opportunistic,

    /// <summary>STARTTLS is required: fail when the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte ("SMTPS", port 465).</summary>
    Implicit,

    /// <summary>Never encrypt, even when STARTTLS is offered.</summary>
    None,
}
