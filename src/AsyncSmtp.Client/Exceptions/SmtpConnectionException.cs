namespace AsyncSmtp.Client;

/// <summary>
/// The connection is gone, or was never made: the server closed it (or sent 421), the transport failed,
/// a reply did not come in time or made no sense. The client is disconnected; connect again to go on.
/// </summary>
public abstract class SmtpConnectionException : SmtpException
{
    /// <summary>
    /// For the failures that end the connection; <paramref name="response"/> is the reply that ended it (a 421), if
    /// any.
    /// </summary>
    protected SmtpConnectionException(string message, SmtpResponse? response = null, Exception? innerException = null)
        : base(message, response, innerException) { }
}
