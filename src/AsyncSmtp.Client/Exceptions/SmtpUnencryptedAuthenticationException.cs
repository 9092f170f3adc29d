namespace AsyncSmtp.Client;

/// <summary>Credentials would have gone over a connection that is not encrypted.</summary>
public sealed class SmtpUnencryptedAuthenticationException : SmtpCommandException
{
    /// <summary>Raised instead of sending a password or token where anyone on the path could read it.</summary>
    public SmtpUnencryptedAuthenticationException()
        : base("Refusing to send credentials over an unencrypted connection; use TLS, or allow it explicitly " +
            "(AllowUnencryptedAuthentication).") { }
}
