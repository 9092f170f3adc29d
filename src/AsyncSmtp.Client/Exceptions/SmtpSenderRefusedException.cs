namespace AsyncSmtp.Client;

/// <summary>MAIL FROM was refused.</summary>
public sealed class SmtpSenderRefusedException : SmtpResponseException
{
    /// <summary>
    /// The refusal of <paramref name="sender"/> by the reply <paramref name="response"/> to MAIL FROM.
    /// </summary>
    public SmtpSenderRefusedException(string sender, SmtpResponse response)
        : base(Describe($"Sender <{sender}> refused", response), response)
    {
        Sender = sender;
    }

    /// <summary>The refused reverse path, to tell the user which sender the server would not take.</summary>
    public string Sender { get; }
}
