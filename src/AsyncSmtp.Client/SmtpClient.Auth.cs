using AsyncSmtp.Client.Internal;
using AsyncSmtp.Client.Internal.OAuth;
using AsyncSmtp.Client.Internal.Sasl;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    /// <summary>
    /// Logs in with a password, by the first of <paramref name="mechanisms"/> the server offers (default:
    /// SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, PLAIN, LOGIN). The next mechanism is tried only when one is
    /// unusable (504, 534, 538, or a failure on the client's side); a refusal of the credentials (535)
    /// stops at once, so a wrong password costs one failed login, not one per mechanism. Over a
    /// connection that is not encrypted nothing is sent unless
    /// <see cref="SmtpClientOptions.AllowUnencryptedAuthentication"/>.
    /// </summary>
    public Task<SmtpResponse> AuthenticateAsync(NetworkCredential credential,
        IReadOnlyList<SmtpAuthMechanism>? mechanisms = null, CancellationToken cancellationToken = default)
    {
        if (credential is null) throw new ArgumentNullException(nameof(credential));
        return RunAsync(io => AuthenticateCoreAsync(io, credential.UserName, credential.Password, null, mechanisms),
            cancellationToken);
    }

    /// <summary>
    /// Logs in with an OAuth token, by OAUTHBEARER or XOAUTH2 (or <paramref name="mechanisms"/>). The
    /// provider is asked once, and once more when the server refuses the token (expired): a provider
    /// that returns a new token then gets a second attempt. A JWT that is expired, or a Microsoft
    /// Entra token not meant for Exchange Online SMTP, fails before it is sent.
    /// </summary>
    public Task<SmtpResponse> AuthenticateAsync(string userName, Func<CancellationToken, Task<string>> tokenProvider,
        IReadOnlyList<SmtpAuthMechanism>? mechanisms = null, CancellationToken cancellationToken = default)
    {
        if (tokenProvider is null) throw new ArgumentNullException(nameof(tokenProvider));
        return RunAsync(io => AuthenticateCoreAsync(io, userName, null, tokenProvider, mechanisms), cancellationToken);
    }

    /// <summary>XOAUTH2 with a bearer token.</summary>
    public Task<SmtpResponse> AuthenticateOAuth2Async(string userName, string accessToken,
        CancellationToken cancellationToken = default) =>
        AuthenticateAsync(userName, _ => Task.FromResult(accessToken), new[] { SmtpAuthMechanism.XOAuth2 },
            cancellationToken);

    /// <summary>The SASL name of the mechanism of the successful login, else null.</summary>
    public string? AuthenticationMechanism => IsAuthenticated ? _authMechanism : null;

    /// <summary>The login, with <paramref name="password"/> or <paramref name="tokenProvider"/>.</summary>
    private async Task<SmtpResponse> AuthenticateCoreAsync(IoScope io, string userName, string? password,
        Func<CancellationToken, Task<string>>? tokenProvider, IReadOnlyList<SmtpAuthMechanism>? mechanisms)
    {
        if (string.IsNullOrEmpty(userName))
            throw new SmtpArgumentException("A user name is required to log in.", nameof(userName));
        if (userName.IndexOf('\0') >= 0 || (password ?? string.Empty).IndexOf('\0') >= 0)
            throw new SmtpArgumentException("User names and passwords may not contain NUL.", nameof(userName));
        await EnsureGreetedAsync(io).ConfigureAwait(false);
        if (!IsEncrypted && !Options.AllowUnencryptedAuthentication) throw new SmtpUnencryptedAuthenticationException();

        var candidates = Candidates(mechanisms, tokenProvider is not null);
        var attempts = new List<string>();
        var tried = new List<string>();
        string? token = null;
        bool refreshed = false;
        SmtpResponse? lastReply = null;
        for (int i = 0; i < candidates.Count; i++)
        {
            var kind = candidates[i];
            bool usesToken = SaslMechanisms.UsesToken(kind) && tokenProvider is not null;
            if (usesToken) token ??= await FetchTokenAsync(io, tokenProvider!).ConfigureAwait(false);
            string name = SaslMechanisms.NameOf(kind);
            string secret = usesToken ? token! : password ?? string.Empty;
            var (mechanism, reply, failure) = await ExchangeAsync(io, kind, userName, secret).ConfigureAwait(false);
            tried.Add(name);
            lastReply = reply ?? lastReply;
            if (failure is null && reply is { Code: 235 })
            {
                _authenticated = true;
                _userName = userName;
                _authMechanism = name;
                return reply;
            }
            attempts.Add(Attempt(name, reply, failure));
            if (failure?.Kind == SaslFailureKind.ServerNotVerified)
            {
                // It may be an impostor that has just seen a login: nothing more goes to it.
                Disconnect();
                throw Failed(attempts, reply, tried,
                    "Check that the connection goes to the right server (TLS with certificate validation).");
            }
            bool tokenRefused = reply?.Code == 535 || mechanism is BearerTokenMechanism { TokenRejected: true };
            if (usesToken && !refreshed && tokenRefused && IsConnected)
            {
                // The token may have expired during a long session: ask once more; a new token gets one more try.
                refreshed = true;
                string previous = token!;
                token = await FetchTokenAsync(io, tokenProvider!).ConfigureAwait(false);
                if (!string.Equals(token, previous, StringComparison.Ordinal)) i--;
                else break;
                continue;
            }
            if (!IsUnusable(reply, failure)) break;
        }
        throw Failed(attempts, lastReply, tried, null);
    }

    /// <summary>The mechanisms to try, in order: those wanted that the server offers and the secret suits.</summary>
    private List<SmtpAuthMechanism> Candidates(IReadOnlyList<SmtpAuthMechanism>? mechanisms, bool haveToken)
    {
        var offered = _extensions.AuthMechanisms;
        if (offered.Count == 0)
            throw new SmtpAuthenticationNotSupportedException(IsEncrypted
                ? "The server offers no AUTH."
                : "The server offers no AUTH on this unencrypted connection; it may offer it after STARTTLS.");
        var wanted = (mechanisms ?? (haveToken ? SaslMechanisms.TokenOrder : SaslMechanisms.PasswordOrder))
            .Where(m => !haveToken || SaslMechanisms.UsesToken(m)).Distinct().ToList();
        var candidates = wanted
            .Where(m => offered.Contains(SaslMechanisms.NameOf(m), StringComparer.OrdinalIgnoreCase)).ToList();
        if (candidates.Count == 0)
            throw new SmtpAuthenticationNotSupportedException(
                $"No authentication mechanism in common: the server offers {string.Join(" ", offered)}; " +
                "the client would use " + (wanted.Count == 0
                    ? "none (an OAuth token needs XOAUTH2 or OAUTHBEARER)."
                    : string.Join(" ", wanted.Select(SaslMechanisms.NameOf)) + "."));
        return candidates;
    }

    /// <summary>504 (unknown), 534 (too weak), 538 (needs encryption), or failed on this side: try the next.</summary>
    private static bool IsUnusable(SmtpResponse? reply, SaslLocalFailure? failure) =>
        failure is null ? reply?.Code is 504 or 534 or 538 : failure.Kind == SaslFailureKind.Unusable;

    /// <summary>Asks for a token and checks it before it can go on the wire.</summary>
    private async Task<string> FetchTokenAsync(IoScope io, Func<CancellationToken, Task<string>> tokenProvider)
    {
        string? token = await tokenProvider(io.Token).ConfigureAwait(false);
        io.Restart();
        if (string.IsNullOrEmpty(token))
            throw new SmtpAuthenticationException("The OAuth token provider gave no token.",
                "Check what gives the token: it returned nothing.");
        if (OAuthTokenCheck.Check(token!, Options.Host, DateTimeOffset.UtcNow) is { } problem) throw problem;
        return token!;
    }

    /// <summary>
    /// One AUTH exchange: the mechanism (null when it could not start), the server's last reply (null
    /// when nothing was sent), and a failure on this side if any.
    /// </summary>
    private async Task<(SaslMechanism? Mechanism, SmtpResponse? Reply, SaslLocalFailure? Failure)> ExchangeAsync(
        IoScope io, SmtpAuthMechanism kind, string userName, string secret)
    {
        SaslMechanism mechanism;
        byte[]? initial;
        try
        {
            mechanism = SaslMechanisms.Create(kind, userName, secret);
            initial = mechanism.InitialResponse();
        }
        catch (SaslLocalFailure failure)
        {
            return (null, null, failure);
        }

        string activity = "authenticating with " + mechanism.Name;
        string command = "AUTH " + mechanism.Name;
        var reply = initial is null
            ? await Wire.CommandAsync(io, command, activity).ConfigureAwait(false)
            : await SaslLineAsync(io, command + " ", Convert.ToBase64String(initial), activity).ConfigureAwait(false);
        while (reply.Code == 334)
        {
            byte[] answer;
            try
            {
                answer = mechanism.Respond(DecodeChallenge(reply.Message, mechanism.Name));
            }
            catch (SaslLocalFailure failure)
            {
                // RFC 4954: "*" cancels the exchange; the server answers 501.
                return (mechanism, await Wire.CommandAsync(io, "*", activity).ConfigureAwait(false), failure);
            }
            reply = await SaslLineAsync(io, string.Empty, Convert.ToBase64String(answer), activity)
                .ConfigureAwait(false);
        }
        if (reply.Code == 235 && !mechanism.ServerVerified)
            return (mechanism, reply, new SaslLocalFailure(
                $"The server accepted {mechanism.Name} without proving that it knows the password.",
                SaslFailureKind.ServerNotVerified));
        return (mechanism, reply, null);
    }

    private static byte[] DecodeChallenge(string text, string mechanism)
    {
        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new SaslLocalFailure($"The server's {mechanism} challenge is not valid base64.");
        }
    }

    /// <summary>Writes <paramref name="prefix"/> and a secret (logged as asterisks), and reads the reply.</summary>
    private Task<SmtpResponse> SaslLineAsync(IoScope io, string prefix, string secret, string activity) =>
        Wire.CommandAsync(io, prefix + secret, activity, secretFrom: prefix.Length);

    private static string Attempt(string mechanism, SmtpResponse? reply, SaslLocalFailure? failure)
    {
        string answer = reply is null ? "nothing sent" : $"{reply.Code} {reply.Message}";
        return failure is null ? $"{mechanism}: {answer}" : $"{mechanism}: {failure.Message} ({answer})";
    }

    private static SmtpAuthenticationException Failed(List<string> attempts, SmtpResponse? reply, List<string> tried,
        string? action) =>
        new("Authentication failed; tried " + string.Join("; ", attempts), reply, tried.ToArray(), action);
}
