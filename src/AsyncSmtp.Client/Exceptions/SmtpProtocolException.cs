namespace AsyncSmtp.Client;

/// <summary>A malformed, oversized or unexpected reply. The client is disconnected.</summary>
public sealed class SmtpProtocolException : SmtpConnectionException
{
    public SmtpProtocolException(string message, Exception? innerException = null)
        : base(message, null, innerException) { }
}
