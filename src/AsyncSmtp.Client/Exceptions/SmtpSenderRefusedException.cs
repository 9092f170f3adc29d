namespace AsyncSmtp.Client;

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
