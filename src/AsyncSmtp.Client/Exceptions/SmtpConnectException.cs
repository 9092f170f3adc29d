namespace AsyncSmtp.Client;

/// <summary>The connection could not be made, or the server did not greet with 220.</summary>
public class SmtpConnectException : SmtpConnectionException
{
    /// <summary>
    /// A connection that failed to open; <paramref name="response"/> is the greeting when it was not 220.
    /// </summary>
    public SmtpConnectException(string message, SmtpResponse? response = null, Exception? innerException = null)
        : base(message, response, innerException) { }

    /// <summary>Whether the failure suggests that the port speaks another TLS mode.</summary>
    public SmtpTlsModeHint TlsModeHint { get; internal set; }
}
