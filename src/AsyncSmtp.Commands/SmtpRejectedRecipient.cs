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

    public string Address { get; }

    public int Code { get; }

    public string? EnhancedStatusCode { get; }

    /// <summary>The server's reply text.</summary>
    public string Message { get; }

    public override string ToString() => $"<{Address}> {Code} {Message}";
}
