namespace AsyncSmtp.Client;

/// <summary>One RCPT TO was refused.</summary>
public sealed class SmtpRecipientRefusedException : SmtpResponseException
{
    /// <summary>
    /// The refusal of <paramref name="recipient"/> by the reply <paramref name="response"/> to its RCPT TO.
    /// </summary>
    public SmtpRecipientRefusedException(string recipient, SmtpResponse response)
        : base(Describe($"Recipient <{recipient}> refused", response), response)
    {
        Recipient = recipient;
    }

    /// <summary>The refused address, to tell the user which recipient did not get the message.</summary>
    public string Recipient { get; }
}
