namespace AsyncSmtp.Client;

/// <summary>The connect, TLS handshake or greeting took longer than the connect timeout.</summary>
public sealed class SmtpConnectTimeoutException : SmtpConnectException
{
    public SmtpConnectTimeoutException(string message, Exception? innerException = null)
        : base(message, null, innerException) { }
}
