namespace AsyncSmtp.Client;

/// <summary>
/// The whole message was written, end of data included, and its final reply never came: the connection
/// was lost or the reply timed out. The server may have accepted the message, so it must not be sent
/// again automatically. The client is disconnected; <see cref="Exception.InnerException"/> says what ended
/// the connection.
/// </summary>
public sealed class SmtpDeliveryUncertainException : SmtpConnectionException
{
    /// <summary>
    /// A message left uncertain when <paramref name="connectionError"/> ended the connection after its end of data.
    /// </summary>
    public SmtpDeliveryUncertainException(Exception connectionError)
        : base("The message was sent in full but its final reply never came (" + connectionError?.Message +
               "); the server may have accepted it, so it is not sent again.", null, connectionError)
    {
    }

    /// <summary>
    /// The error for a message whose end of data was written when <paramref name="error"/> ended the
    /// connection: uncertain, unless the server did reply (a 421 in place of the final reply refuses it).
    /// </summary>
    internal static Exception After(Exception error) =>
        error is SmtpConnectionException { Response: null } and not SmtpDeliveryUncertainException
            ? new SmtpDeliveryUncertainException(error)
            : error;
}
