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

/// <summary>Every authentication mechanism tried was refused.</summary>
public sealed class SmtpAuthenticationException : SmtpResponseException
{
    public SmtpAuthenticationException(string mechanism, SmtpResponse response)
        : base(Describe($"Authentication with {mechanism} refused", response), response)
    {
        Mechanism = mechanism;
    }

    public string Mechanism { get; }
}
