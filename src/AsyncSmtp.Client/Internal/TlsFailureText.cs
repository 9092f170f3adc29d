using System.Globalization;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// The words of a TLS failure: which reasons applied, what the certificate does carry, and when it expired.
/// </summary>
internal static class TlsFailureText
{
    /// <summary>"the server certificate was refused: it expired on ... (Expired); ..." for each reason found.</summary>
    public static string CertificateRefused(SmtpTlsDetails details) =>
        "the server certificate was refused: "
        + string.Join("; ", details.CertificateErrors.Select(e => Reason(e, details)));

    private static string Reason(SmtpCertificateError error, SmtpTlsDetails details)
    {
        var certificate = details.Certificate;
        var now = DateTime.Now;
        string text = error switch
        {
            SmtpCertificateError.NameMismatch =>
                $"it is for {NameList(details.CertificateNames)}, not {details.TargetHost}",
            SmtpCertificateError.Expired => Expired(details, now),
            SmtpCertificateError.NotYetValid => certificate is null ? "it is not valid yet"
                : $"it is not valid before {Utc(certificate.NotBefore)}",
            SmtpCertificateError.UntrustedRoot =>
                "its chain ends in a root that is not trusted (self-signed, or a private CA)",
            SmtpCertificateError.PartialChain =>
                "its chain cannot be completed up to a root (the server may not send an intermediate certificate)",
            SmtpCertificateError.Revoked => "it has been revoked",
            SmtpCertificateError.RevocationUnknown => "whether it was revoked could not be checked",
            _ => certificate is null
                ? "the server sent no certificate"
                : details.ChainProblem ?? "it does not validate",
        };
        return $"{text} ({error})";
    }

    private static string Expired(SmtpTlsDetails details, DateTime now)
    {
        // The server certificate itself, or else the first certificate of its chain that expired.
        var expired = new[] { details.Certificate! }.Concat(details.Chain)
            .FirstOrDefault(c => c is not null && c.NotAfter < now);
        if (expired is null) return "it has expired";
        int days = (int)Math.Floor((now - expired.NotAfter).TotalDays);
        string whose = ReferenceEquals(expired, details.Certificate)
            ? "it"
            : $"the chain certificate {expired.Subject}";
        string ago = days switch { 0 => "less than a day ago", 1 => "1 day ago", _ => $"{days} days ago" };
        return $"{whose} expired on {Utc(expired.NotAfter)}, {ago}";
    }

    private static string NameList(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "no DNS name",
        1 => names[0],
        _ => string.Join(", ", names),
    };

    private static string Utc(DateTime local) =>
        local.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
