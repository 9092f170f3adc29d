namespace AsyncSmtp.Client;

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
