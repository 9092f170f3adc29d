namespace AsyncSmtp.Client;

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
