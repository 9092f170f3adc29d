namespace AsyncSmtp.Client;

/// <summary>One RCPT TO: the address and its DSN parameters.</summary>
public sealed class SmtpRecipient
{
    /// <summary>
    /// A recipient <paramref name="address"/> with its DSN parameters: <paramref name="notify"/> and ORCPT <paramref
    /// name="originalRecipient"/>.
    /// </summary>
    public SmtpRecipient(string address, SmtpNotify notify = SmtpNotify.Default, string? originalRecipient = null)
    {
        Address = address ?? throw new ArgumentNullException(nameof(address));
        Notify = notify;
        OriginalRecipient = originalRecipient;
    }

    /// <summary>The forward path sent in RCPT TO (without angle brackets).</summary>
    public string Address { get; }

    /// <summary>When the server should send a delivery status notification for this recipient (NOTIFY).</summary>
    public SmtpNotify Notify { get; }

    /// <summary>ORCPT: the address as first given (sent as "rfc822;address").</summary>
    public string? OriginalRecipient { get; }

    /// <summary>
    /// A plain address as a recipient without DSN parameters, so a string can stand where a recipient is wanted.
    /// </summary>
    public static implicit operator SmtpRecipient(string address) => new(address);

    /// <summary>The address, as RCPT TO gives it.</summary>
    public override string ToString() => Address;
}
