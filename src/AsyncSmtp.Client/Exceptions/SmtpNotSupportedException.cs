namespace AsyncSmtp.Client;

/// <summary>The server does not offer an extension the operation needs (SMTPUTF8, STARTTLS, AUTH, ...).</summary>
public class SmtpNotSupportedException : SmtpCommandException
{
    public SmtpNotSupportedException(string extension, string message) : base(message)
    {
        Extension = extension;
    }

    /// <summary>The missing keyword, upper case.</summary>
    public string Extension { get; }
}
