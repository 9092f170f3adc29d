using System.Text;

namespace AsyncSmtp.Client.Tests.Support;

/// <summary>Unsigned JWTs with the claims a test wants (the client reads claims, never signatures).</summary>
internal static class Jwt
{
    public const string EntraIssuer = "https://sts.windows.net/00000000-0000-0000-0000-000000000001/";

    public static string Make(string claimsJson) =>
        Part("""{"alg":"RS256","typ":"JWT"}""") + "." + Part(claimsJson) + ".c2lnbmF0dXJl";

    /// <summary>A Microsoft Entra app-only token for Exchange Online, valid for an hour unless told.</summary>
    public static string Entra(string audience = "https://outlook.office365.com", string roles = "[\"SMTP.SendAsApp\"]",
        DateTimeOffset? expires = null) =>
        Make($$"""{"aud":"{{audience}}","iss":"{{EntraIssuer}}","exp":{{Seconds(expires)}},"roles":{{roles}}}""");

    private static long Seconds(DateTimeOffset? expires) =>
        (expires ?? DateTimeOffset.UtcNow.AddHours(1)).ToUnixTimeSeconds();

    private static string Part(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
