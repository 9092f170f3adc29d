using System.Security.Authentication;
using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

/// <summary>
/// What a TLS handshake showed: the protocol and cipher (when it completed), and the server certificate
/// with its chain and what is wrong with it, recorded even when the certificate was refused.
/// </summary>
public sealed class SmtpTlsDetails
{
    internal SmtpTlsDetails(string targetHost, X509Certificate2? certificate, IReadOnlyList<X509Certificate2> chain,
        IReadOnlyList<SmtpCertificateError> certificateErrors, string? chainProblem)
    {
        TargetHost = targetHost;
        Certificate = certificate;
        Chain = chain;
        CertificateErrors = certificateErrors;
        ChainProblem = chainProblem;
        CertificateNames = certificate is null ? Array.Empty<string>() : CertificateNameReader.DnsNames(certificate);
    }

    /// <summary>The name the certificate was checked against (and sent as SNI).</summary>
    public string TargetHost { get; }

    /// <summary>The negotiated TLS version; null when the handshake did not complete.</summary>
    public SslProtocols? Protocol { get; internal set; }

    /// <summary>The negotiated cipher suite; null when the handshake did not complete.</summary>
    public string? CipherSuite { get; internal set; }

    /// <summary>The server certificate; null when the server sent none.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The chain as built, from the server certificate up to the last certificate found.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The DNS names of the certificate: its subject alternative names, else its common name.</summary>
    public IReadOnlyList<string> CertificateNames { get; }

    /// <summary>
    /// Every reason the certificate does not validate; empty when it does (whether or not it was checked).
    /// </summary>
    public IReadOnlyList<SmtpCertificateError> CertificateErrors { get; }

    /// <summary>Whether the certificate validates: chain and name.</summary>
    public bool CertificateValid => Certificate is not null && CertificateErrors.Count == 0;

    /// <summary>
    /// The platform's words for a chain problem classified as <see cref="SmtpCertificateError.Other"/>.
    /// </summary>
    internal string? ChainProblem { get; }
}
