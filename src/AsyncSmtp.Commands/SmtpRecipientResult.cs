namespace AsyncSmtp;

/// <summary>How a server answered RCPT TO for one address Test-SmtpServer probed.</summary>
public sealed class SmtpRecipientResult
{
    internal SmtpRecipientResult(Client.SmtpProbeRecipient probed)
    {
        Address = probed.Address;
        Accepted = probed.Accepted;
        Code = probed.Response.Code;
        EnhancedStatusCode = probed.Response.EnhancedStatusCode;
        Message = probed.Response.Message;
    }

    public string Address { get; }

    /// <summary>250 or 251.</summary>
    public bool Accepted { get; }

    public int Code { get; }

    public string? EnhancedStatusCode { get; }

    public string Message { get; }

    public override string ToString() => $"{Address}: {Code} {Message}";
}
