namespace AsyncSmtp.Client;

/// <summary>The server offers no AUTH, or no mechanism in common with the client's list.</summary>
public sealed class SmtpAuthenticationNotSupportedException : SmtpNotSupportedException
{
    public SmtpAuthenticationNotSupportedException(string message) : base("AUTH", message) { }
}
