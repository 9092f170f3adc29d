namespace AsyncSmtp.Client;

/// <summary>
/// The server closed the connection, or the transport failed, after the greeting. The client is disconnected.
/// </summary>
public sealed class SmtpServerDisconnectedException : SmtpConnectionException
{
    /// <summary>
    /// A connection lost after the greeting; <paramref name="response"/> is the 421 when the server said it was
    /// closing.
    /// </summary>
    public SmtpServerDisconnectedException(string message, SmtpResponse? response = null,
        Exception? innerException = null)
        : base(message, response, innerException) { }

    /// <summary>The exception for a 421 reply: the server is closing the connection, whatever the stage.</summary>
    internal static SmtpServerDisconnectedException Closing(SmtpResponse reply) =>
        new(Describe("The server closed the connection", reply), reply);
}
