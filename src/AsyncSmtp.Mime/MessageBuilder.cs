using System.Text;
using AsyncSmtp.Client;
using MimeKit;
using MimeKit.Utils;

namespace AsyncSmtp.Mime;

/// <summary>Builds a MIME message from the content parameters of New-SmtpMessage / Send-SmtpMessage.</summary>
internal static class MessageBuilder
{
    /// <summary>The message and the attachment files it reads when serialised.</summary>
    public static (MimeMessage Message, IReadOnlyList<ReopenableFileStream> Files) Build(SmtpMessageSpec spec)
    {
        if (spec is null) throw new ArgumentNullException(nameof(spec));
        if (string.IsNullOrWhiteSpace(spec.From))
            throw new SmtpArgumentException("A message needs a From address.", "From");

        // The constructor already sets Date and a Message-Id.
        var message = new MimeMessage();
        var from = Addresses.ParseMailbox(spec.From, "From");
        message.From.Add(from);
        message.MessageId = MimeUtils.GenerateMessageId(AsciiDomain(from));
        message.To.AddRange(Addresses.ParseList(spec.To, "To"));
        message.Cc.AddRange(Addresses.ParseList(spec.Cc, "Cc"));
        message.Bcc.AddRange(Addresses.ParseList(spec.Bcc, "Bcc"));
        message.ReplyTo.AddRange(Addresses.ParseList(spec.ReplyTo, "ReplyTo"));
        SetSubject(message, spec.Subject);
        SetPriority(message, spec.Priority);
        CustomHeaders.Apply(message, spec.Headers);

        var files = (spec.Attachments ?? Array.Empty<string>()).Select(OpenAttachment).ToList();
        var body = BuildBody(spec);
        if (files.Count == 0)
        {
            message.Body = body;
        }
        else
        {
            var mixed = new Multipart("mixed") { body };
            foreach (var file in files) mixed.Add(CreateAttachment(file));
            message.Body = mixed;
        }

        return (message, files);
    }

    // The Message-Id's right side is the sender's domain, as mail clients do; punycode keeps the header ASCII.
    private static string AsciiDomain(MailboxAddress from)
    {
        var address = from.GetAddress(idnEncode: true);
        return address.Substring(address.LastIndexOf('@') + 1);
    }

    private static void SetSubject(MimeMessage message, string? subject)
    {
        if (subject is null)
        {
            message.Headers.Remove(HeaderId.Subject);
            return;
        }

        if (subject.IndexOf('\r') >= 0 || subject.IndexOf('\n') >= 0)
            throw new SmtpArgumentException("The subject must be one line: it contains a line break.", "Subject");
        message.Subject = subject;
    }

    // The three headers that Outlook, Thunderbird and System.Net.Mail each read or write.
    private static void SetPriority(MimeMessage message, SmtpMessagePriority priority)
    {
        switch (priority)
        {
            case SmtpMessagePriority.High:
                message.XPriority = XMessagePriority.Highest;
                message.Importance = MessageImportance.High;
                message.Priority = MessagePriority.Urgent;
                break;
            case SmtpMessagePriority.Low:
                message.XPriority = XMessagePriority.Lowest;
                message.Importance = MessageImportance.Low;
                message.Priority = MessagePriority.NonUrgent;
                break;
        }
    }

    private static MimeEntity BuildBody(SmtpMessageSpec spec)
    {
        if (spec.HtmlBody is null) return CreateText(spec.BodyAsHtml ? "html" : "plain", spec.Body);
        if (spec.BodyAsHtml)
            throw new SmtpArgumentException("BodyAsHtml and HtmlBody cannot be combined: HtmlBody is the HTML alternative of a plain-text Body.", "HtmlBody");
        if (string.IsNullOrEmpty(spec.Body)) return CreateText("html", spec.HtmlBody);
        return new MultipartAlternative { CreateText("plain", spec.Body), CreateText("html", spec.HtmlBody) };
    }

    // UTF-8 text in the cheapest 7-bit-safe transfer encoding: 7bit for short ASCII lines, else quoted-printable or
    // base64, whichever is smaller; 8BITMIME is not assumed because the message is built before the server is known.
    // A bare CR is turned into a line break here (MimeKit converts only LF to CRLF), as the engine would do on the
    // wire anyway: doing it now keeps Size equal to the bytes actually sent.
    private static TextPart CreateText(string subtype, string? text)
    {
        var part = new TextPart(subtype);
        part.SetText(Encoding.UTF8, (text ?? string.Empty).Replace("\r\n", "\n").Replace('\r', '\n'));
        part.ContentTransferEncoding = part.GetBestEncoding(EncodingConstraint.SevenBit);
        return part;
    }

    private static ReopenableFileStream OpenAttachment(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new SmtpArgumentException("An empty attachment path was given.", "Attachments");
        return ReopenableFileStream.Create(Path.GetFullPath(path));
    }

    private static MimePart CreateAttachment(ReopenableFileStream file) => new(MimeTypes.GetMimeType(file.Path))
    {
        Content = new MimeContent(file),
        ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
        ContentTransferEncoding = ContentEncoding.Base64,
        FileName = Path.GetFileName(file.Path),
    };
}
