namespace AsyncSmtp.Mime;

/// <summary>What New-SmtpMessage / Send-SmtpMessage's content parameters describe.</summary>
public sealed class SmtpMessageSpec
{
    /// <summary>Required: one mailbox, "Name &lt;addr&gt;" or a bare address.</summary>
    public string? From { get; set; }

    /// <summary>Each string is one address or a comma-separated list ("Name &lt;addr&gt;" allowed, groups too).</summary>
    public string[]? To { get; set; }

    public string[]? Cc { get; set; }

    /// <summary>Envelope recipients only: kept by Save, never transmitted.</summary>
    public string[]? Bcc { get; set; }

    public string[]? ReplyTo { get; set; }

    public string? Subject { get; set; }

    public string? Body { get; set; }

    /// <summary>Body is HTML.</summary>
    public bool BodyAsHtml { get; set; }

    /// <summary>An HTML alternative next to the plain Body (multipart/alternative); alone when Body is empty.</summary>
    public string? HtmlBody { get; set; }

    /// <summary>Full paths of files to attach; read when the message is serialised, not when it is built.</summary>
    public string[]? Attachments { get; set; }

    public SmtpMessagePriority Priority { get; set; }

    /// <summary>
    /// Extra headers, name to value. Date, Message-Id, Sender and the priority headers replace the generated ones;
    /// MIME structure (MIME-Version, Content-*) and the headers that have their own property (From, To, Cc, Bcc,
    /// Reply-To, Subject) are refused.
    /// </summary>
    public IDictionary<string, string>? Headers { get; set; }
}
