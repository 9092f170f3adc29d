using System.Net;
using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    /// <summary>Without a caller's list: the strongest first, as aiosmtplib orders them.</summary>
    private static readonly SmtpAuthMechanism[] DefaultMechanisms = { SmtpAuthMechanism.CramMd5, SmtpAuthMechanism.Plain, SmtpAuthMechanism.Login };

    /// <summary>
    /// Logs in with the first mechanism that works among <paramref name="mechanisms"/> (default: CRAM-MD5,
    /// PLAIN, LOGIN among those offered); a refusal moves on to the next. Over a connection that is not
    /// encrypted nothing is sent unless <see cref="SmtpClientOptions.AllowUnencryptedAuthentication"/>.
    /// </summary>
    public Task<SmtpResponse> AuthenticateAsync(NetworkCredential credential, IReadOnlyList<SmtpAuthMechanism>? mechanisms = null, CancellationToken cancellationToken = default)
    {
        if (credential is null) throw new ArgumentNullException(nameof(credential));
        return RunAsync(io => AuthenticateCoreAsync(io, credential.UserName, credential.Password, mechanisms), cancellationToken);
    }

    /// <summary>XOAUTH2 with a bearer token.</summary>
    public Task<SmtpResponse> AuthenticateOAuth2Async(string userName, string accessToken, CancellationToken cancellationToken = default) =>
        RunAsync(io => AuthenticateCoreAsync(io, userName, accessToken, new[] { SmtpAuthMechanism.XOAuth2 }), cancellationToken);

    private async Task<SmtpResponse> AuthenticateCoreAsync(IoScope io, string userName, string secret, IReadOnlyList<SmtpAuthMechanism>? mechanisms)
    {
        if (string.IsNullOrEmpty(userName)) throw new SmtpArgumentException("A user name is required to log in.", nameof(userName));
        if (userName.IndexOf('\0') >= 0 || (secret ?? string.Empty).IndexOf('\0') >= 0)
            throw new SmtpArgumentException("User names and passwords may not contain NUL.", nameof(userName));
        secret ??= string.Empty;
        await EnsureGreetedAsync(io).ConfigureAwait(false);
        if (!IsEncrypted && !Options.AllowUnencryptedAuthentication) throw new SmtpUnencryptedAuthenticationException();

        var offered = _extensions.AuthMechanisms;
        if (offered.Count == 0)
            throw new SmtpAuthenticationNotSupportedException(IsEncrypted
                ? "The server offers no AUTH."
                : "The server offers no AUTH on this unencrypted connection; it may offer it after STARTTLS.");
        var candidates = (mechanisms ?? DefaultMechanisms)
            .Where(m => offered.Contains(SaslPayloads.NameOf(m), StringComparer.OrdinalIgnoreCase)).Distinct().ToList();
        if (candidates.Count == 0)
            throw new SmtpAuthenticationNotSupportedException(
                $"No authentication mechanism in common: the server offers {string.Join(" ", offered)}; the client would use {string.Join(" ", (mechanisms ?? DefaultMechanisms).Select(SaslPayloads.NameOf))}.");

        SmtpAuthenticationException? lastRefusal = null;
        foreach (var mechanism in candidates)
        {
            var reply = await TryMechanismAsync(io, mechanism, userName, secret).ConfigureAwait(false);
            if (reply.Code == 235)
            {
                _authenticated = true;
                _userName = userName;
                return reply;
            }
            lastRefusal = new SmtpAuthenticationException(SaslPayloads.NameOf(mechanism), reply);
        }
        throw lastRefusal!;
    }

    private async Task<SmtpResponse> TryMechanismAsync(IoScope io, SmtpAuthMechanism mechanism, string userName, string secret)
    {
        string activity = "authenticating with " + SaslPayloads.NameOf(mechanism);
        switch (mechanism)
        {
            case SmtpAuthMechanism.Plain:
                return await AuthCommandAsync(io, "AUTH PLAIN ", SaslPayloads.Plain(userName, secret), activity).ConfigureAwait(false);
            case SmtpAuthMechanism.Login:
            {
                var reply = await AuthCommandAsync(io, "AUTH LOGIN ", SaslPayloads.Base64(userName), activity).ConfigureAwait(false);
                return reply.Code == 334 ? await SaslLineAsync(io, SaslPayloads.Base64(secret), activity).ConfigureAwait(false) : reply;
            }
            case SmtpAuthMechanism.CramMd5:
            {
                var challenge = await Wire.CommandAsync(io, "AUTH CRAM-MD5", activity).ConfigureAwait(false);
                if (challenge.Code != 334) return challenge;
                return await SaslLineAsync(io, SaslPayloads.CramMd5(userName, secret, challenge.Message), activity).ConfigureAwait(false);
            }
            case SmtpAuthMechanism.XOAuth2:
            {
                var reply = await AuthCommandAsync(io, "AUTH XOAUTH2 ", SaslPayloads.XOAuth2(userName, secret), activity).ConfigureAwait(false);
                // On failure the server sends a 334 with error details and waits for an empty line before its 5xx.
                return reply.Code == 334 ? await SaslLineAsync(io, string.Empty, activity).ConfigureAwait(false) : reply;
            }
            default:
                throw new SmtpArgumentException($"Unknown mechanism {mechanism}.", nameof(mechanism));
        }
    }

    private Task<SmtpResponse> AuthCommandAsync(IoScope io, string prefix, string initialResponse, string activity) =>
        Wire.CommandAsync(io, prefix + initialResponse, activity, secretFrom: prefix.Length);

    private Task<SmtpResponse> SaslLineAsync(IoScope io, string payload, string activity) =>
        Wire.CommandAsync(io, payload, activity, secretFrom: 0);
}
