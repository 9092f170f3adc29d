namespace AsyncSmtp.Client;

/// <summary>The server refused a command with a 4xx or 5xx reply.</summary>
public class SmtpResponseException : SmtpCommandException
{
    public SmtpResponseException(string message, SmtpResponse response) : base(message, response) { }

    public new SmtpResponse Response => base.Response!;
}

/// <summary>EHLO and HELO were both refused.</summary>
public sealed class SmtpHeloException : SmtpResponseException
{
    public SmtpHeloException(SmtpResponse response) : base(Describe("HELO refused", response), response) { }
}

/// <summary>MAIL FROM was refused.</summary>
public sealed class SmtpSenderRefusedException : SmtpResponseException
{
    public SmtpSenderRefusedException(string sender, SmtpResponse response)
        : base(Describe($"Sender <{sender}> refused", response), response)
    {
        Sender = sender;
    }

    public string Sender { get; }
}

/// <summary>One RCPT TO was refused.</summary>
public sealed class SmtpRecipientRefusedException : SmtpResponseException
{
    public SmtpRecipientRefusedException(string recipient, SmtpResponse response)
        : base(Describe($"Recipient <{recipient}> refused", response), response)
    {
        Recipient = recipient;
    }

    public string Recipient { get; }
}

/// <summary>Every recipient was refused; DATA was not sent.</summary>
public sealed class SmtpRecipientsRefusedException : SmtpCommandException
{
    public SmtpRecipientsRefusedException(IReadOnlyList<SmtpRecipientRefusedException> refusals)
        : base($"All {refusals.Count} recipient(s) refused: " + string.Join("; ", refusals.Select(r => $"<{r.Recipient}> {r.Code} {r.ServerMessage}")),
               refusals.Count > 0 ? refusals[refusals.Count - 1].Response : null)
    {
        Refusals = refusals;
    }

    public IReadOnlyList<SmtpRecipientRefusedException> Refusals { get; }
}

/// <summary>DATA or BDAT, or the end of the message, was refused.</summary>
public sealed class SmtpDataException : SmtpResponseException
{
    public SmtpDataException(SmtpResponse response) : base(Describe("Message refused", response), response) { }
}

/// <summary>
/// The login failed: the server refused it (<see cref="SmtpException.Response"/> is its last reply),
/// or the client stopped it first (an OAuth token the server would refuse). Never holds a secret. The
/// connection stays usable, except after a SCRAM server that did not prove it knows the password:
/// the client closes that one, as it may be an impostor.
/// </summary>
public sealed class SmtpAuthenticationException : SmtpCommandException
{
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
