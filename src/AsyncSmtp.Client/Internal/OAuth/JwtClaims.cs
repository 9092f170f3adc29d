using System.Text;

namespace AsyncSmtp.Client.Internal.OAuth;

/// <summary>
/// The claims of a JWT access token (RFC 7519), read without checking the signature: the client only
/// wants to spot a token the server will refuse. Google's tokens are opaque, not JWTs: those give null.
/// </summary>
internal sealed class JwtClaims
{
    private readonly IReadOnlyDictionary<string, object?> _claims;

    private JwtClaims(IReadOnlyDictionary<string, object?> claims) => _claims = claims;

    /// <summary>The claims, or null when the token is not a JWT with a JSON object as payload.</summary>
    public static JwtClaims? TryRead(string token)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0) return null;
        byte[]? payload = Base64Url(parts[1]);
        if (payload is null) return null;
        string json;
        try
        {
            json = new UTF8Encoding(false, true).GetString(payload);
        }
        catch (ArgumentException)
        {
            return null;
        }
        return JsonReader.ReadObject(json) is { } claims ? new JwtClaims(claims) : null;
    }

    /// <summary>"exp": when the token stops being valid.</summary>
    public DateTimeOffset? ExpiresAt =>
        _claims.TryGetValue("exp", out var exp) && exp is double seconds && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
            : null;

    /// <summary>"aud": one string or an array of them.</summary>
    public IReadOnlyList<string> Audiences => Strings("aud", ' ');

    public string? Issuer => _claims.TryGetValue("iss", out var iss) ? iss as string : null;

    /// <summary>Delegated permissions ("scp", space separated) and application roles ("roles"), together.</summary>
    public IReadOnlyList<string> Permissions => Strings("scp", ' ').Concat(Strings("roles", ' ')).ToList();

    private IReadOnlyList<string> Strings(string name, char separator)
    {
        if (!_claims.TryGetValue(name, out var value)) return System.Array.Empty<string>();
        if (value is string text) return text.Split(new[] { separator }, StringSplitOptions.RemoveEmptyEntries);
        return value is List<object?> list ? list.OfType<string>().ToList() : System.Array.Empty<string>();
    }

    private static byte[]? Base64Url(string text)
    {
        var standard = new StringBuilder(text.Length + 3).Append(text).Replace('-', '+').Replace('_', '/');
        standard.Append('=', (4 - standard.Length % 4) % 4);
        try
        {
            return Convert.FromBase64String(standard.ToString());
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
