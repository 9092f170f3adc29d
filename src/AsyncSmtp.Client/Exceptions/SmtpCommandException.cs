namespace AsyncSmtp.Client;

/// <summary>
/// A command, a message or an argument was refused — by the server (a 4xx/5xx reply) or by the client
/// before anything was written. The connection is still usable: the next command can follow (except
/// during ConnectAsync, whose every failure leaves the client disconnected).
/// </summary>
public abstract class SmtpCommandException : SmtpException
{
    /// <summary>
    /// For the refusals that leave the connection usable; <paramref name="response"/> is the refusing reply, if a reply
    /// refused.
    /// </summary>
    protected SmtpCommandException(string message, SmtpResponse? response = null, Exception? innerException = null)
        : base(message, response, innerException) { }
}
