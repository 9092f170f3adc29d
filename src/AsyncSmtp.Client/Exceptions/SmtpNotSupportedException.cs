namespace AsyncSmtp.Client;

/// <summary>The server does not offer an extension the operation needs (SMTPUTF8, STARTTLS, AUTH, ...).</summary>
public class SmtpNotSupportedException : SmtpCommandException
{
    /// <summary>
    /// Raised when the operation needs <paramref name="extension"/> and the server did not announce it.
    /// </summary>
    public SmtpNotSupportedException(string extension, string message) : base(message)
    {
        Extension = extension;
    }

    /// <summary>The missing keyword, upper case.</summary>
    public string Extension { get; }
}
