using System.Text;

namespace AsyncSmtp.Mime;

/// <summary>What New-SmtpMessage / Send-SmtpMessage's content parameters describe.</summary>
public sealed class SmtpMessageSpec
{
    /// <summary>Required: one mailbox, "Name &lt;addr&gt;" or a bare address.</summary>
    public string? From { get; set; }

    /// <summary>
    /// Each string is one address or a comma-separated list ("Name &lt;addr&gt;" allowed, groups too).
    /// </summary>
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

    /// <summary>
    /// Files the HTML body shows inline, content id to full path: the HTML refers to each as <c>cid:&lt;id&gt;</c>.
    /// They go with the HTML into a multipart/related; an HTML body (BodyAsHtml or HtmlBody) is required.
    /// </summary>
    public IDictionary<string, string>? InlineAttachments { get; set; }

    /// <summary>
    /// The charset of the subject and the text parts; null means UTF-8. Text the charset cannot encode is refused
    /// (SmtpArgumentException) rather than sent with '?' in its place.
    /// </summary>
    public Encoding? Encoding { get; set; }

    public SmtpMessagePriority Priority { get; set; }

    /// <summary>
    /// Extra headers, name and value, in order; a name given more than once gives that many headers (except those
    /// RFC 5322 allows once: Date, Sender, Message-Id, In-Reply-To, References). Date, Message-Id, Sender and the
    /// priority headers replace the generated ones; MIME structure (MIME-Version, Content-*) and the headers that have
    /// their own property (From, To, Cc, Bcc, Reply-To, Subject) are refused.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>>? Headers { get; set; }
}
