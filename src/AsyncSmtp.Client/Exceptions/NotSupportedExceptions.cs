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

/// <summary>STARTTLS was required but the server does not offer it.</summary>
public sealed class SmtpStartTlsNotSupportedException : SmtpNotSupportedException
{
    public SmtpStartTlsNotSupportedException()
        : base("STARTTLS", "STARTTLS extension not supported by server; the connection was closed without sending anything.") { }
}

/// <summary>The server offers no AUTH, or no mechanism in common with the client's list.</summary>
public sealed class SmtpAuthenticationNotSupportedException : SmtpNotSupportedException
{
    public SmtpAuthenticationNotSupportedException(string message) : base("AUTH", message) { }
}

/// <summary>Credentials would have gone over a connection that is not encrypted.</summary>
public sealed class SmtpUnencryptedAuthenticationException : SmtpCommandException
{
    public SmtpUnencryptedAuthenticationException()
        : base("Refusing to send credentials over an unencrypted connection; use TLS, or allow it explicitly (AllowUnencryptedAuthentication).") { }
}

/// <summary>The message is larger than the SIZE limit the server announced; nothing was sent.</summary>
public sealed class SmtpMessageTooLargeException : SmtpCommandException
{
    public SmtpMessageTooLargeException(long size, long limit)
        : base($"The message is {size} bytes; the server accepts at most {limit}.")
    {
        Size = size;
        Limit = limit;
    }

    public long Size { get; }

    public long Limit { get; }
}
