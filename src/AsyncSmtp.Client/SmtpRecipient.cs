namespace AsyncSmtp.Client;

/// <summary>One RCPT TO: the address and its DSN parameters.</summary>
public sealed class SmtpRecipient
{
    public SmtpRecipient(string address, SmtpNotify notify = SmtpNotify.Default, string? originalRecipient = null)
    {
        Address = address ?? throw new ArgumentNullException(nameof(address));
        Notify = notify;
        OriginalRecipient = originalRecipient;
    }

    public string Address { get; }

    public SmtpNotify Notify { get; }

    /// <summary>ORCPT: the address as first given (sent as "rfc822;address").</summary>
    public string? OriginalRecipient { get; }

    public static implicit operator SmtpRecipient(string address) => new(address);

    public override string ToString() => Address;
}
