namespace AsyncSmtp.Client;

/// <summary>Every recipient was refused; DATA was not sent.</summary>
public sealed class SmtpRecipientsRefusedException : SmtpCommandException
{
    /// <summary>
    /// Raised when no recipient was left to send DATA for; <paramref name="refusals"/> holds each refusal.
    /// </summary>
    public SmtpRecipientsRefusedException(IReadOnlyList<SmtpRecipientRefusedException> refusals)
        : base($"All {refusals.Count} recipient(s) refused: "
            + string.Join("; ", refusals.Select(r => $"<{r.Recipient}> {r.Code} {r.ServerMessage}")),
               refusals.Count > 0 ? refusals[refusals.Count - 1].Response : null)
    {
        Refusals = refusals;
    }

    /// <summary>Each recipient's refusal with its reply, in the order the recipients were sent.</summary>
    public IReadOnlyList<SmtpRecipientRefusedException> Refusals { get; }
}
