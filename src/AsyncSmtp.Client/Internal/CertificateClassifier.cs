using System.Net.Security;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Turns what the TLS layer reports about a server certificate into <see cref="SmtpTlsDetails"/>: the
/// certificate, its chain and every reason it does not validate. Used for every handshake, so the facts
/// are there even when the certificate is refused or the check is skipped.
/// </summary>
internal static class CertificateClassifier
{
    // The extensions that say where revocation is published: CRL distribution points, and AIA (OCSP).
    private const string CrlDistributionPoints = "2.5.29.31";
    private const string AuthorityInformationAccess = "1.3.6.1.5.5.7.1.1";

    public static SmtpTlsDetails Classify(string targetHost, X509Certificate? certificate, X509Chain? chain,
        SslPolicyErrors policyErrors, X509Certificate2Collection? trustedRoots, bool checkRevocation)
    {
        // The TLS layer may dispose what it handed to the callback: keep copies.
        var leaf = certificate is null ? null : new X509Certificate2(certificate.GetRawCertData());
        var errors = new List<SmtpCertificateError>();
        string? chainProblem = null;
        if (leaf is null) errors.Add(SmtpCertificateError.Other);
        if ((policyErrors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            errors.Add(SmtpCertificateError.NameMismatch);

        int before = errors.Count;
        int unpublished = 0;
        var elements = chain is null
            ? Array.Empty<X509ChainElement>()
            : chain.ChainElements.Cast<X509ChainElement>().ToArray();
        bool chainErrors = (policyErrors & SslPolicyErrors.RemoteCertificateChainErrors) != 0;
        if (chainErrors && leaf is not null && trustedRoots is { Count: > 0 })
        {
            // Extra trust anchors (a CA bundle): judge the chain as built against them instead.
            using var custom = BuildWithRoots(leaf, chain, trustedRoots, checkRevocation);
            elements = custom.ChainElements.Cast<X509ChainElement>().ToArray();
            chainProblem = AddChainErrors(elements, trustedRoots, errors, ref unpublished);
        }
        else if (chainErrors)
        {
            chainProblem = AddChainErrors(elements, null, errors, ref unpublished);
        }
        // The platform saw a chain problem that no element status names: still a reason, never "valid".
        if (chainErrors && errors.Count == before && unpublished == 0 && trustedRoots is not { Count: > 0 }
            && !errors.Contains(SmtpCertificateError.Other))
            errors.Add(SmtpCertificateError.Other);

        var copies = elements.Select(e => new X509Certificate2(e.Certificate.RawData)).ToArray();
        return new SmtpTlsDetails(targetHost, leaf, copies, errors, chainProblem);
    }

    private static X509Chain BuildWithRoots(X509Certificate2 leaf, X509Chain? serverChain,
        X509Certificate2Collection roots, bool checkRevocation)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = checkRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
#if NET8_0_OR_GREATER
        // The caller's roots as the trust anchors: the platform checks revocation only below a trusted root.
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
#else
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        chain.ChainPolicy.ExtraStore.AddRange(roots);
#endif
        if (serverChain is not null)
            foreach (var element in serverChain.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        chain.Build(leaf);
        return chain;
    }

    /// <summary>
    /// Adds the reasons found in the chain's element statuses; returns the text of anything unclassified, and
    /// counts in <paramref name="unpublished"/> the revocation statuses left out as not applicable.
    /// </summary>
    private static string? AddChainErrors(X509ChainElement[] elements, X509Certificate2Collection? trustedRoots,
        List<SmtpCertificateError> errors, ref int unpublished)
    {
        var now = DateTime.Now;
        string? unclassified = null;
        for (int n = 0; n < elements.Length; n++)
        {
            var certificate = elements[n].Certificate;
            foreach (var status in elements[n].ChainElementStatus)
            {
                var error = Classify(status.Status, certificate, now);
                // AllowUnknownCertificateAuthority still reports an unknown root: trusted when it is the caller's.
                bool callersRoot = trustedRoots is not null && IsOneOf(certificate, trustedRoots);
                if (error == SmtpCertificateError.UntrustedRoot && callersRoot) continue;
                if (error is null) continue;
                // A certificate that names no CRL or OCSP responder cannot be checked, by design (private CAs often
                // publish none): not a finding. One that names them and could not be checked is.
                if (error == SmtpCertificateError.RevocationUnknown && !PublishesRevocation(certificate))
                {
                    unpublished++;
                    continue;
                }
                if (error == SmtpCertificateError.Other) unclassified ??= status.StatusInformation.Trim();
                if (!errors.Contains(error.Value)) errors.Add(error.Value);
            }
        }
        bool rootUnknown = trustedRoots is not null && elements.Length > 0
            && !IsOneOf(elements[elements.Length - 1].Certificate, trustedRoots);
        if (rootUnknown && !errors.Contains(SmtpCertificateError.UntrustedRoot)
            && !errors.Contains(SmtpCertificateError.PartialChain))
            errors.Add(SmtpCertificateError.UntrustedRoot);
        return unclassified;
    }

    private static SmtpCertificateError? Classify(X509ChainStatusFlags status, X509Certificate2 certificate,
        DateTime now) => status switch
    {
        X509ChainStatusFlags.NoError => null,
        X509ChainStatusFlags.NotTimeValid or X509ChainStatusFlags.NotTimeNested => now < certificate.NotBefore
            ? SmtpCertificateError.NotYetValid
            : now > certificate.NotAfter ? SmtpCertificateError.Expired : null,
        X509ChainStatusFlags.UntrustedRoot => SmtpCertificateError.UntrustedRoot,
        X509ChainStatusFlags.PartialChain => SmtpCertificateError.PartialChain,
        X509ChainStatusFlags.Revoked => SmtpCertificateError.Revoked,
        X509ChainStatusFlags.RevocationStatusUnknown or X509ChainStatusFlags.OfflineRevocation =>
            SmtpCertificateError.RevocationUnknown,
        _ => SmtpCertificateError.Other,
    };

    private static bool PublishesRevocation(X509Certificate2 certificate) =>
        certificate.Extensions[CrlDistributionPoints] is not null
        || certificate.Extensions[AuthorityInformationAccess] is not null;

    private static bool IsOneOf(X509Certificate2 certificate, X509Certificate2Collection roots)
    {
        foreach (var trusted in roots)
            if (string.Equals(trusted.Thumbprint, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }
}
