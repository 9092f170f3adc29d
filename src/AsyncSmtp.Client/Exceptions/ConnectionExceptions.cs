namespace AsyncSmtp.Client;

/// <summary>The connection could not be made, or the server did not greet with 220.</summary>
public class SmtpConnectException : SmtpConnectionException
{
    public SmtpConnectException(string message, SmtpResponse? response = null, Exception? innerException = null)
        : base(message, response, innerException) { }

    /// <summary>Whether the failure suggests that the port speaks another TLS mode.</summary>
    public SmtpTlsModeHint TlsModeHint { get; internal set; }
}

/// <summary>The connect, TLS handshake or greeting took longer than the connect timeout.</summary>
public sealed class SmtpConnectTimeoutException : SmtpConnectException
{
    public SmtpConnectTimeoutException(string message, Exception? innerException = null)
        : base(message, null, innerException) { }
}

/// <summary>The TLS handshake or the certificate validation failed, or the server refused STARTTLS.</summary>
public sealed class SmtpTlsException : SmtpConnectException
{
    public SmtpTlsException(string message, Exception? innerException = null, SmtpTlsDetails? details = null)
        : base(message, null, innerException)
    {
        Details = details;
    }

    /// <summary>STARTTLS refused (e.g. 454): TLS was asked for, so the connection is given up, never used in plaintext.
    /// </summary>
    public SmtpTlsException(string message, SmtpResponse response)
        : base(message, response) { }

    /// <summary>
    /// The certificate the server presented and what is wrong with it, when the handshake got that far.
    /// </summary>
    public SmtpTlsDetails? Details { get; }

    /// <summary>Every reason the certificate was refused; empty when the failure was not about it.</summary>
    public IReadOnlyList<SmtpCertificateError> CertificateErrors =>
        Details?.CertificateErrors ?? Array.Empty<SmtpCertificateError>();
}

/// <summary>A reply did not come within the timeout. The client is disconnected.</summary>
public sealed class SmtpReadTimeoutException : SmtpConnectionException
{
    public SmtpReadTimeoutException(string message, Exception? innerException = null)
        : base(message, null, innerException) { }
}

/// <summary>The server closed the connection, or the transport failed, after the greeting. The client is disconnected.</summary>
public sealed class SmtpServerDisconnectedException : SmtpConnectionException
{
    public SmtpServerDisconnectedException(string message, SmtpResponse? response = null, Exception? innerException = null)
        : base(message, response, innerException) { }

    /// <summary>The exception for a 421 reply: the server is closing the connection, whatever the stage.</summary>
    internal static SmtpServerDisconnectedException Closing(SmtpResponse reply) =>
        new(Describe("The server closed the connection", reply), reply);
}

/// <summary>A malformed, oversized or unexpected reply. The client is disconnected.</summary>
public sealed class SmtpProtocolException : SmtpConnectionException
{
    public SmtpProtocolException(string message, Exception? innerException = null)
        : base(message, null, innerException) { }
}

/// <summary>A command was used on a client that is not connected (never connected, quit, or dropped).</summary>
public sealed class SmtpNotConnectedException : SmtpConnectionException
{
    public SmtpNotConnectedException(string message) : base(message) { }
}

/// <summary>ConnectAsync was called on a client that is already connected.</summary>
public sealed class SmtpAlreadyConnectedException : SmtpCommandException
{
    public SmtpAlreadyConnectedException(string message) : base(message) { }
}

/// <summary>An argument was refused before anything was written: a control character, a malformed value, conflicting options.</summary>
public sealed class SmtpArgumentException : SmtpCommandException
{
    public SmtpArgumentException(string message, string? argumentName = null) : base(message)
    {
        ArgumentName = argumentName;
    }

    public string? ArgumentName { get; }
}
