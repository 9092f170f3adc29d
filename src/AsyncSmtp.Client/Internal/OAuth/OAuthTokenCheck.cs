using System.Globalization;

namespace AsyncSmtp.Client.Internal.OAuth;

/// <summary>
/// The pre-flight check of an OAuth token before it goes on the wire: a JWT that has expired, or a
/// Microsoft Entra token that is not for Exchange Online or does not grant SMTP sending, would only
/// earn a bare 535 from the server; here it fails with the reason and the fix, and nothing is sent.
/// </summary>
internal static class OAuthTokenCheck
{
    /// <summary>Exchange Online as an audience: app-only tokens, delegated tokens, and its application id.</summary>
    private static readonly string[] _exchangeOnlineAudiences =
    {
        "https://outlook.office365.com", "https://outlook.office.com", "00000002-0000-0ff1-ce00-000000000000",
    };

    private static readonly string[] _smtpPermissions = { "SMTP.Send", "SMTP.SendAsApp" };

    /// <summary>Null when the token may be sent; otherwise why not, and what to do.</summary>
    public static SmtpAuthenticationException? Check(string token, string? serverHost, DateTimeOffset now)
    {
        if (JwtClaims.TryRead(token) is not { } claims) return null;
        if (claims.ExpiresAt is { } expires && expires <= now)
            return new SmtpAuthenticationException(
                $"The OAuth token expired at {expires.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}; " +
                "it was not sent.",
                "Get a new token for each login: pass -OAuthToken a script block that fetches one.");
        if (!IsMicrosoft365(serverHost, claims.Issuer)) return null;
        if (!claims.Audiences.Any(IsExchangeOnline))
            return new SmtpAuthenticationException(
                $"The OAuth token is for {Describe(claims.Audiences)}, not for Exchange Online " +
                "(https://outlook.office365.com); it was not sent.",
                "Request the token for Exchange Online: scope https://outlook.office365.com/.default for an app, " +
                "https://outlook.office.com/SMTP.Send for a user (a Microsoft Graph token does not work for SMTP).");
        if (!claims.Permissions.Any(p => _smtpPermissions.Contains(p, StringComparer.OrdinalIgnoreCase)))
            return new SmtpAuthenticationException(
                "The OAuth token grants neither SMTP.Send nor SMTP.SendAsApp; it was not sent.",
                "Give the app the Office 365 Exchange Online API permission SMTP.SendAsApp (application) or " +
                "SMTP.Send (delegated), grant admin consent, then get a new token.");
        return null;
    }

    /// <summary>Exchange Online by the server's name, or by a token from Microsoft Entra ID.</summary>
    private static bool IsMicrosoft365(string? host, string? issuer) =>
        host is not null && (EndsWith(host, ".office365.com") || EndsWith(host, ".outlook.com"))
        || issuer is not null && (issuer.StartsWith("https://sts.windows.net/", StringComparison.OrdinalIgnoreCase)
            || issuer.StartsWith("https://login.microsoftonline.com/", StringComparison.OrdinalIgnoreCase));

    private static bool EndsWith(string host, string suffix) =>
        host.TrimEnd('.').EndsWith(suffix, StringComparison.OrdinalIgnoreCase);

    private static bool IsExchangeOnline(string audience) =>
        _exchangeOnlineAudiences.Contains(audience.TrimEnd('/'), StringComparer.OrdinalIgnoreCase);

    private static string Describe(IReadOnlyList<string> audiences) =>
        audiences.Count == 0 ? "no audience" : string.Join(", ", audiences);
}
