namespace AsyncSmtp.Client;

/// <summary>A malformed, oversized or unexpected reply. The client is disconnected.</summary>
public sealed class SmtpProtocolException : SmtpConnectionException
{
    /// <summary>
    /// A reply the client cannot trust to go on from; <paramref name="message"/> says what was wrong with it.
    /// </summary>
    public SmtpProtocolException(string message, Exception? innerException = null)
        : base(message, null, innerException) { }
}
