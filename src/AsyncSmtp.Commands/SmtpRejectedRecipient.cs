namespace AsyncSmtp;

/// <summary>A recipient the server refused while it accepted others.</summary>
public sealed class SmtpRejectedRecipient
{
    internal SmtpRejectedRecipient(SmtpRecipientRefusedException refusal)
    {
        Address = refusal.Recipient;
        Code = refusal.Code;
        EnhancedStatusCode = refusal.EnhancedStatusCode;
        Message = refusal.ServerMessage ?? string.Empty;
    }

    // Shared by every result without refusals; a list, not an empty array (see SmtpSendResult.RejectedRecipients).
    private static readonly IReadOnlyList<SmtpRejectedRecipient> _none =
        new List<SmtpRejectedRecipient>().AsReadOnly();

    /// <summary>A result's list of refusals: nothing allocated for the usual message, refused by no one.</summary>
    internal static IReadOnlyList<SmtpRejectedRecipient> ListOf(
        IReadOnlyList<SmtpRecipientRefusedException> refusals) =>
        refusals.Count == 0 ? _none : refusals.Select(r => new SmtpRejectedRecipient(r)).ToList().AsReadOnly();

    public string Address { get; }

    public int Code { get; }

    public string? EnhancedStatusCode { get; }

    /// <summary>The server's reply text.</summary>
    public string Message { get; }

    public override string ToString() => $"<{Address}> {Code} {Message}";
}
