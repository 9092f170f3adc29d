namespace AsyncSmtp.Client;

/// <summary>Delivery status notification triggers for one recipient (RFC 3461 NOTIFY).</summary>
[Flags]
public enum SmtpNotify
{
    /// <summary>No NOTIFY parameter: the server's default.</summary>
    Default = 0,
    Never = 1,
    Success = 2,
    Failure = 4,
    Delay = 8,
}

/// <summary>What a bounce returns (RFC 3461 RET).</summary>
public enum SmtpDsnReturn
{
    Default,
    Full,
    Headers,
}

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

/// <summary>The SMTP envelope: MAIL FROM and RCPT TO, independent of the message's headers.</summary>
public sealed class SmtpEnvelope
{
    public SmtpEnvelope(string sender, IEnumerable<SmtpRecipient> recipients)
    {
        Sender = sender ?? throw new ArgumentNullException(nameof(sender));
        Recipients = recipients.ToArray();
    }

    /// <summary>The reverse path; an empty string sends MAIL FROM:&lt;&gt;.</summary>
    public string Sender { get; }

    public IReadOnlyList<SmtpRecipient> Recipients { get; }

    /// <summary>DSN RET.</summary>
    public SmtpDsnReturn Return { get; set; }

    /// <summary>DSN ENVID: an identifier echoed in notifications (xtext-encoded on the wire).</summary>
    public string? EnvelopeId { get; set; }

    /// <summary>Force SMTPUTF8 even for ASCII addresses (the message itself has UTF-8 headers).</summary>
    public bool RequireSmtpUtf8 { get; set; }
}
