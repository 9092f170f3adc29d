namespace AsyncSmtp.Client;

/// <summary>
/// The login failed: the server refused it (<see cref="SmtpException.Response"/> is its last reply),
/// or the client stopped it first (an OAuth token the server would refuse). Never holds a secret. The
/// connection stays usable, except after a SCRAM server that did not prove it knows the password:
/// the client closes that one, as it may be an impostor.
/// </summary>
public sealed class SmtpAuthenticationException : SmtpCommandException
{
    /// <summary>
    /// A failed login: <paramref name="response"/> is the server's last reply (null when the client stopped first),
    /// <paramref name="mechanismsTried"/> the SASL names tried in order, <paramref name="recommendedAction"/> what the
    /// user can do when the client knows.
    /// </summary>
    public SmtpAuthenticationException(string message, SmtpResponse? response, IReadOnlyList<string> mechanismsTried,
        string? recommendedAction = null)
        : base(message, response)
    {
        MechanismsTried = mechanismsTried;
        RecommendedAction = recommendedAction;
    }

    /// <summary>Stopped before anything was sent, for the reason <paramref name="message"/> gives.</summary>
    public SmtpAuthenticationException(string message, string recommendedAction)
        : this(message, null, Array.Empty<string>(), recommendedAction) { }

    /// <summary>The SASL names of the mechanisms tried, in order; empty when none was.</summary>
    public IReadOnlyList<string> MechanismsTried { get; }

    /// <summary>The last mechanism tried, or null.</summary>
    public string? Mechanism => MechanismsTried.Count > 0 ? MechanismsTried[MechanismsTried.Count - 1] : null;

    /// <summary>What the user can do about it, when the client knows (an expired token, a wrong audience).</summary>
    public string? RecommendedAction { get; }
}
