namespace AsyncSmtp.Client;

/// <summary>The SMTP envelope: MAIL FROM and RCPT TO, independent of the message's headers.</summary>
public sealed class SmtpEnvelope
{
    /// <summary>
    /// An envelope from <paramref name="sender"/> to <paramref name="recipients"/>, copied so later changes to the list
    /// do not change it.
    /// </summary>
    public SmtpEnvelope(string sender, IEnumerable<SmtpRecipient> recipients)
    {
        Sender = sender ?? throw new ArgumentNullException(nameof(sender));
        Recipients = recipients.ToArray();
    }

    /// <summary>The reverse path; an empty string sends MAIL FROM:&lt;&gt;.</summary>
    public string Sender { get; }

    /// <summary>
    /// The forward paths, one RCPT TO each, in order; the message goes to these whatever its headers say.
    /// </summary>
    public IReadOnlyList<SmtpRecipient> Recipients { get; }

    /// <summary>DSN RET.</summary>
    public SmtpDsnReturn Return { get; set; }

    /// <summary>DSN ENVID: an identifier echoed in notifications (xtext-encoded on the wire).</summary>
    public string? EnvelopeId { get; set; }

    /// <summary>Force SMTPUTF8 even for ASCII addresses (the message itself has UTF-8 headers).</summary>
    public bool RequireSmtpUtf8 { get; set; }
}
