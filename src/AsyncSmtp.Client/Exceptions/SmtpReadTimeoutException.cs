namespace AsyncSmtp.Client;

/// <summary>A reply did not come within the timeout. The client is disconnected.</summary>
public sealed class SmtpReadTimeoutException : SmtpConnectionException
{
    /// <summary>
    /// Raised when the reply timeout ran out; <paramref name="message"/> says which reply was awaited.
    /// </summary>
    public SmtpReadTimeoutException(string message, Exception? innerException = null)
        : base(message, null, innerException) { }
}
