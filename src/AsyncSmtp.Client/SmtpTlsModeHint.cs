namespace AsyncSmtp.Client;

/// <summary>What a failed connection suggests about the TLS mode the port speaks.</summary>
public enum SmtpTlsModeHint
{
    /// <summary>Nothing suggests another mode.</summary>
    None,

    /// <summary>The server answered a TLS hello in plaintext: the port expects STARTTLS (or no TLS).</summary>
    ExpectsStartTls,

    /// <summary>The server stayed silent instead of greeting: the port may speak TLS at once.</summary>
    ExpectsImplicitTls,
}
