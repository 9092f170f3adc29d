using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AsyncSmtp.TestServer;

/// <summary>The two-way channel an AUTH exchange runs over: challenges out, client lines in.</summary>
internal interface ISaslChannel
{
    Task SendLineAsync(string line);

    /// <summary>The client's next line (recorded as a command); null when the connection closed.</summary>
    Task<string?> ReadLineAsync();
}

/// <summary>How an AUTH exchange ended: the user on success, and the final reply to send.</summary>
internal sealed record SaslOutcome(string? User, int Code, string Enhanced, string Text)
{
    public static SaslOutcome Success(string user) => new(user, 235, "2.7.0", "Authentication successful");

    public static SaslOutcome Failure() => new(null, 535, "5.7.8", "Authentication credentials invalid");

    public static SaslOutcome Cancelled() => new(null, 501, "5.7.0", "Authentication cancelled");

    public static SaslOutcome BadEncoding() => new(null, 501, "5.5.2", "Cannot decode response");
}

/// <summary>
/// Server side of AUTH PLAIN, LOGIN, CRAM-MD5 (RFC 4616, draft-murchison-sasl-login, RFC 2195), XOAUTH2,
/// OAUTHBEARER (RFC 7628) and SCRAM-SHA-1/SCRAM-SHA-256 (RFC 5802, RFC 7677).
/// </summary>
internal sealed class SaslAuthenticator(
    IReadOnlyDictionary<string, string> users,
    string serverName,
    ISaslChannel channel,
    bool forgeScramSignature = false)
{
    public static readonly string[] Mechanisms =
    {
        "PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2", "OAUTHBEARER", "SCRAM-SHA-1", "SCRAM-SHA-256",
    };

    /// <summary>Runs the exchange; null when the client went away in the middle.</summary>
    public Task<SaslOutcome?> RunAsync(string mechanism, string? initialResponse) => mechanism switch
    {
        "PLAIN" => PlainAsync(initialResponse),
        "LOGIN" => LoginAsync(initialResponse),
        "CRAM-MD5" => CramMd5Async(),
        "XOAUTH2" => XOAuth2Async(initialResponse),
        "OAUTHBEARER" => OAuthBearerAsync(initialResponse),
        "SCRAM-SHA-1" => ScramAsync(HashAlgorithmName.SHA1, initialResponse),
        "SCRAM-SHA-256" => ScramAsync(HashAlgorithmName.SHA256, initialResponse),
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "Unsupported mechanism."),
    };

    private async Task<SaslOutcome?> PlainAsync(string? initialResponse)
    {
        var response = await ResponseAsync(initialResponse, string.Empty).ConfigureAwait(false);
        if (response.Outcome is not null || response.Bytes is null)
        {
            return response.Outcome;
        }

        // authzid NUL authcid NUL passwd
        var parts = Encoding.UTF8.GetString(response.Bytes).Split('\0');
        return parts.Length == 3 && Verify(parts[1], parts[2]) ? SaslOutcome.Success(parts[1]) : SaslOutcome.Failure();
    }

    private async Task<SaslOutcome?> LoginAsync(string? initialResponse)
    {
        var user = await ResponseAsync(initialResponse, "Username:").ConfigureAwait(false);
        if (user.Outcome is not null || user.Bytes is null)
        {
            return user.Outcome;
        }

        var password = await ResponseAsync(null, "Password:").ConfigureAwait(false);
        if (password.Outcome is not null || password.Bytes is null)
        {
            return password.Outcome;
        }

        var name = Encoding.UTF8.GetString(user.Bytes);
        return Verify(name, Encoding.UTF8.GetString(password.Bytes)) ? SaslOutcome.Success(name) : SaslOutcome.Failure();
    }

    private async Task<SaslOutcome?> CramMd5Async()
    {
        var challenge = string.Create(
            CultureInfo.InvariantCulture,
            $"<{RandomNumberGenerator.GetInt32(int.MaxValue)}.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}@{serverName}>");
        var response = await ResponseAsync(null, challenge).ConfigureAwait(false);
        if (response.Outcome is not null || response.Bytes is null)
        {
            return response.Outcome;
        }

        // "user hex-digest", the digest being HMAC-MD5 keyed with the password over the challenge.
        var text = Encoding.UTF8.GetString(response.Bytes);
        var space = text.LastIndexOf(' ');
        if (space <= 0)
        {
            return SaslOutcome.Failure();
        }

        var user = text[..space];
        if (!users.TryGetValue(user, out var password))
        {
            return SaslOutcome.Failure();
        }

        var expected = Convert.ToHexStringLower(
            HMACMD5.HashData(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(challenge)));
        return string.Equals(expected, text[(space + 1)..], StringComparison.OrdinalIgnoreCase)
            ? SaslOutcome.Success(user)
            : SaslOutcome.Failure();
    }

    private async Task<SaslOutcome?> XOAuth2Async(string? initialResponse)
    {
        var response = await ResponseAsync(initialResponse, string.Empty).ConfigureAwait(false);
        if (response.Outcome is not null || response.Bytes is null)
        {
            return response.Outcome;
        }

        // "user=" U ^A "auth=Bearer " T ^A ^A
        string? user = null;
        string? token = null;
        foreach (var field in Encoding.UTF8.GetString(response.Bytes).Split('\x01'))
        {
            if (field.StartsWith("user=", StringComparison.Ordinal))
            {
                user = field[5..];
            }
            else if (field.StartsWith("auth=Bearer ", StringComparison.Ordinal))
            {
                token = field[12..];
            }
        }

        if (user is not null && token is not null && Verify(user, token))
        {
            return SaslOutcome.Success(user);
        }

        // Like Gmail: a JSON error as a challenge; the client answers with an empty line, then 535.
        const string Error = """{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}""";
        return await BearerErrorAsync(Error, string.Empty).ConfigureAwait(false);
    }

    /// <summary>
    /// RFC 7628, strictly: GS2 header "n,a=" user "," (no channel binding), then ^A-separated key=value
    /// pairs with "auth=Bearer " T, ending ^A ^A. Anything else in the framing is a failure.
    /// </summary>
    private async Task<SaslOutcome?> OAuthBearerAsync(string? initialResponse)
    {
        var response = await ResponseAsync(initialResponse, string.Empty).ConfigureAwait(false);
        if (response.Outcome is not null || response.Bytes is null)
        {
            return response.Outcome;
        }

        var text = Encoding.UTF8.GetString(response.Bytes);
        var headerEnd = text.IndexOf('\x01', StringComparison.Ordinal);
        var header = headerEnd < 0 ? string.Empty : text[..headerEnd];
        var pairs = headerEnd < 0 || headerEnd > text.Length - 3 || !text.EndsWith("\x01\x01", StringComparison.Ordinal)
            ? Array.Empty<string>()
            : text[(headerEnd + 1)..^2].Split('\x01');
        var user = header.StartsWith("n,a=", StringComparison.Ordinal) && header.EndsWith(',')
            ? header[4..^1].Replace("=2C", ",").Replace("=3D", "=")
            : null;
        var token = pairs.FirstOrDefault(p => p.StartsWith("auth=Bearer ", StringComparison.Ordinal))?[12..];
        if (user is not null && token is not null && Verify(user, token))
        {
            return SaslOutcome.Success(user);
        }

        // RFC 7628 section 3.2.2: the error as a challenge; the client answers with ^A, then 535.
        return await BearerErrorAsync("""{"status":"invalid_token","scope":"smtp"}""", "AQ==").ConfigureAwait(false);
    }

    /// <summary>Sends the JSON error challenge; the client must answer <paramref name="acknowledgement"/>.</summary>
    private async Task<SaslOutcome?> BearerErrorAsync(string json, string acknowledgement)
    {
        var challenge = "334 " + Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
        await channel.SendLineAsync(challenge).ConfigureAwait(false);
        var answer = await channel.ReadLineAsync().ConfigureAwait(false);
        return answer is null ? null : answer == acknowledgement ? SaslOutcome.Failure() : SaslOutcome.BadEncoding();
    }

    private async Task<SaslOutcome?> ScramAsync(HashAlgorithmName hash, string? initialResponse)
    {
        var response = await ResponseAsync(initialResponse, string.Empty).ConfigureAwait(false);
        if (response.Outcome is not null || response.Bytes is null)
        {
            return response.Outcome;
        }

        var server = new ScramServer(hash, users, forgeScramSignature);
        return await server.RunAsync(response.Bytes, channel).ConfigureAwait(false);
    }

    private bool Verify(string user, string password) =>
        users.TryGetValue(user, out var expected) && string.Equals(expected, password, StringComparison.Ordinal);

    /// <summary>
    /// The decoded initial response, or the decoded answer to a 334 carrying <paramref name="challenge"/>.
    /// Outcome is set instead when the client cancelled ("*"), sent bad base64 or (both null) went away.
    /// </summary>
    private async Task<(byte[]? Bytes, SaslOutcome? Outcome)> ResponseAsync(string? initialResponse, string challenge)
    {
        var line = initialResponse;
        if (line is null)
        {
            await channel.SendLineAsync("334 " + Convert.ToBase64String(Encoding.UTF8.GetBytes(challenge))).ConfigureAwait(false);
            line = await channel.ReadLineAsync().ConfigureAwait(false);
            if (line is null)
            {
                return (null, null);
            }

            if (line == "*")
            {
                return (null, SaslOutcome.Cancelled());
            }
        }

        // RFC 4954: "=" is an empty initial response.
        if (line == "=")
        {
            return (Array.Empty<byte>(), null);
        }

        try
        {
            return (Convert.FromBase64String(line), null);
        }
        catch (FormatException)
        {
            return (null, SaslOutcome.BadEncoding());
        }
    }
}
