using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Security rule 4: the server certificate's chain and name are validated unless the caller skips it.
/// Extra trust anchors (a CA bundle) are honoured without weakening the name check.
/// </summary>
internal sealed class CertificateValidator
{
    private readonly SmtpClientOptions _options;

    public CertificateValidator(SmtpClientOptions options) => _options = options;

    /// <summary>Why the last certificate was refused, for the error message.</summary>
    public string? Failure { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_options.SkipCertificateCheck) return true;
        if (_options.CertificateValidationCallback is { } custom)
            return Record(custom(sender, certificate, chain, errors), "rejected by the caller's validation");
        if (errors == SslPolicyErrors.None) return true;
        if (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && _options.TrustedRootCertificates is { Count: > 0 } roots)
            return Record(ChainsToTrustedRoot(certificate, chain, roots), "its chain does not end in a trusted root");
        return Record(false, errors.ToString());
    }

    private bool Record(bool valid, string reason)
    {
        Failure = valid ? null : reason;
        return valid;
    }

    private static bool ChainsToTrustedRoot(X509Certificate certificate, X509Chain? serverChain, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        chain.ChainPolicy.ExtraStore.AddRange(roots);
        if (serverChain is not null)
            foreach (var element in serverChain.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        if (!chain.Build(leaf)) return false;
        // AllowUnknownCertificateAuthority accepts any root: insist that the root is one the caller trusts.
        var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
        foreach (var trusted in roots)
            if (string.Equals(trusted.Thumbprint, root.Thumbprint, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
