namespace AsyncSmtp.Client;

/// <summary>The TLS handshake or the certificate validation failed, or the server refused STARTTLS.</summary>
public sealed class SmtpTlsException : SmtpConnectException
{
    /// <summary>
    /// A failed handshake or certificate check; <paramref name="details"/> is what the handshake showed, when it got
    /// that far.
    /// </summary>
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
