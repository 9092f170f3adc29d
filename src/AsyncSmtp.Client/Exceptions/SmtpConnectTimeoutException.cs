namespace AsyncSmtp.Client;

/// <summary>The connect, TLS handshake or greeting took longer than the connect timeout.</summary>
public sealed class SmtpConnectTimeoutException : SmtpConnectException
{
    /// <summary>Raised when the connect timeout ran out; <paramref name="message"/> says at which step.</summary>
    public SmtpConnectTimeoutException(string message, Exception? innerException = null)
        : base(message, null, innerException) { }
}
