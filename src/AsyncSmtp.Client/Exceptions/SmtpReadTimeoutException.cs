namespace AsyncSmtp.Client;

/// <summary>A reply did not come within the timeout. The client is disconnected.</summary>
public sealed class SmtpReadTimeoutException : SmtpConnectionException
{
    public SmtpReadTimeoutException(string message, Exception? innerException = null)
        : base(message, null, innerException) { }
}
