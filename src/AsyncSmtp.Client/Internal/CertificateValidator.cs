using System.Net.Security;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Security rule 4: the server certificate's chain and name are validated unless the caller skips it.
/// Extra trust anchors (a CA bundle) are honoured without weakening the name check. Whatever the
/// decision, the certificate's facts are recorded for the caller and for the error message.
/// </summary>
internal sealed class CertificateValidator
{
    private readonly SmtpClientOptions _options;
    private readonly string _targetHost;

    public CertificateValidator(SmtpClientOptions options, string targetHost)
    {
        _options = options;
        _targetHost = targetHost;
    }

    /// <summary>The certificate of the last handshake and what is wrong with it; null before one.</summary>
    public SmtpTlsDetails? Details { get; private set; }

    /// <summary>Whether the last certificate was refused by a validation of the caller's own.</summary>
    public bool RefusedByCaller { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Details = CertificateClassifier.Classify(_targetHost, certificate, chain, errors,
            _options.TrustedRootCertificates, _options.CheckCertificateRevocation);
        RefusedByCaller = false;
        if (_options.SkipCertificateCheck || _options.AcceptInvalidCertificate) return true;
        if (_options.CertificateValidationCallback is { } custom)
            return !(RefusedByCaller = !custom(sender, certificate, chain, errors));
        return Details.CertificateValid;
    }
}
