namespace AsyncSmtp.Client;

/// <summary>The TLS handshake or the certificate validation failed.</summary>
public sealed class SmtpTlsException : SmtpConnectException
{
    public SmtpTlsException(string message, Exception? innerException = null)
        : base(message, null, innerException) { }
}
