namespace AsyncSmtp.Client;

/// <summary>STARTTLS was required but the server does not offer it.</summary>
public sealed class SmtpStartTlsNotSupportedException : SmtpNotSupportedException
{
    /// <summary>Raised instead of going on in plaintext when TLS was required.</summary>
    public SmtpStartTlsNotSupportedException()
        : base("STARTTLS",
            "STARTTLS extension not supported by server; the connection was closed without sending anything.") { }
}
