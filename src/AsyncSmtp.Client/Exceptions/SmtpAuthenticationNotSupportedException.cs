namespace AsyncSmtp.Client;

/// <summary>The server offers no AUTH, or no mechanism in common with the client's list.</summary>
public sealed class SmtpAuthenticationNotSupportedException : SmtpNotSupportedException
{
    /// <summary>
    /// Raised before any credential is sent; <paramref name="message"/> says what the server offered.
    /// </summary>
    public SmtpAuthenticationNotSupportedException(string message) : base("AUTH", message) { }
}
