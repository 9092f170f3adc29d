namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>
/// What XOAUTH2 and OAUTHBEARER share: the bearer token goes in the initial response; a refusal comes
/// as a 334 carrying a JSON error, which the client must answer before the server sends its 5xx.
/// </summary>
internal abstract class BearerTokenMechanism : SaslMechanism
{
    protected BearerTokenMechanism(string userName, string token)
    {
        // The fields are separated by ^A: a control character in either would end a field early.
        if (HasControlCharacter(userName) || HasControlCharacter(token))
            throw new SaslLocalFailure("The user name or the OAuth token holds a control character.");
        UserName = userName;
        Token = token;
    }

    protected string UserName { get; }

    protected string Token { get; }

    /// <summary>The server's JSON error challenge, when it sent one (never holds the token).</summary>
    public string? ErrorChallenge { get; private set; }

    /// <summary>
    /// Whether the server said the token itself is bad (expired, revoked): RFC 7628's "invalid_token",
    /// or the HTTP status 401 that Google sends. Another error (a wrong scope) is not cured by a new token.
    /// </summary>
    public bool TokenRejected => ErrorChallenge is { } json
        && (json.IndexOf("invalid_token", StringComparison.Ordinal) >= 0
            || json.IndexOf("\"401\"", StringComparison.Ordinal) >= 0);

    public sealed override byte[] Respond(byte[] challenge)
    {
        if (ErrorChallenge is not null) throw new SaslLocalFailure($"{Name} got a second challenge after its error.");
        ErrorChallenge = Utf8.GetString(challenge);
        return ErrorAcknowledgement;
    }

    /// <summary>What the client sends to let the server finish with its 5xx.</summary>
    protected abstract byte[] ErrorAcknowledgement { get; }

    private static bool HasControlCharacter(string value)
    {
        foreach (char c in value)
            if (c < 0x20 || c == 0x7f) return true;
        return false;
    }
}
