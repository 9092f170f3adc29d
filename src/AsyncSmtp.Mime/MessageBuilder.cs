using System.Text;

namespace AsyncSmtp.Mime;

/// <summary>Builds a MIME message from the content parameters of New-SmtpMessage / Send-SmtpMessage.</summary>
internal static class MessageBuilder
{
    /// <summary>The message and the attachment files it reads when serialised.</summary>
    public static (MimeMessage Message, IReadOnlyList<ReopenableFileStream> Files) Build(SmtpMessageSpec spec,
        MessageAddresses addresses)
    {
        // The constructor already sets Date and a Message-Id (never null).
        var message = new MimeMessage();
        message.From.Add(addresses.From);
        message.MessageId = WithDomain(message.MessageId!, addresses.MessageIdDomain);
        message.To.AddRange(addresses.To);
        message.Cc.AddRange(addresses.Cc);
        message.Bcc.AddRange(addresses.Bcc);
        message.ReplyTo.AddRange(addresses.ReplyTo);
        var charset = MessageText.Charset(spec.Encoding);
        MessageText.SetSubject(message, spec.Subject, charset);
        SetPriority(message, spec.Priority);
        CustomHeaders.Apply(message, spec.Headers);

        var files = new List<ReopenableFileStream>();
        var inline = (spec.InlineAttachments ?? new Dictionary<string, string>())
            .Select(pair => FileParts.Inline(
                OpenFile(files, pair.Value, "InlineAttachment"), FileParts.CheckContentId(pair.Key)))
            .ToList();
        var attachments = (spec.Attachments ?? Array.Empty<string>())
            .Select(path => FileParts.Attachment(OpenFile(files, path, "Attachments")))
            .ToList();
        var body = BuildBody(spec, charset, inline);
        if (attachments.Count == 0)
        {
            message.Body = body;
        }
        else
        {
            var mixed = new Multipart("mixed") { body };
            foreach (var attachment in attachments) mixed.Add(attachment);
            message.Body = mixed;
        }

        // MimeKit adds this header during the first serialisation (-Header cannot set it): added now, the message
        // is complete when built, and sending it changes nothing in it (a long-lived message written to during a
        // send makes every garbage collection meanwhile slower).
        message.MimeVersion = new Version(1, 0);
        return (message, files);
    }

    // The constructor's unique part (time and random bytes) is kept: a second id would cost another cryptographic
    // random draw, which is a tenth of building a small message.
    private static string WithDomain(string messageId, string domain) =>
        messageId.Substring(0, messageId.LastIndexOf('@') + 1) + domain;

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

    // The HTML and the parts it shows make one multipart/related (RFC 2387), which is the alternative to the plain
    // text when both are given, so a text-only reader sees neither the HTML nor the images.
    private static MimeEntity BuildBody(SmtpMessageSpec spec, Encoding charset, IReadOnlyList<MimePart> inline)
    {
        if (spec.HtmlBody is not null && spec.BodyAsHtml)
            throw new SmtpArgumentException(
                "BodyAsHtml and HtmlBody cannot be combined: HtmlBody is the HTML alternative of a plain-text Body.",
                "HtmlBody");
        string? html = spec.BodyAsHtml ? spec.Body ?? string.Empty : spec.HtmlBody;
        if (html is null)
        {
            if (inline.Count > 0)
            {
                throw new SmtpArgumentException(
                    "InlineAttachment needs an HTML body (BodyAsHtml or HtmlBody) that shows the parts as cid:<id>.",
                    "InlineAttachment");
            }
            return MessageText.Create("plain", spec.Body, charset, "Body");
        }

        var plain = spec.BodyAsHtml || string.IsNullOrEmpty(spec.Body)
            ? null
            : MessageText.Create("plain", spec.Body, charset, "Body");
        var htmlText = MessageText.Create("html", html, charset, spec.BodyAsHtml ? "Body" : "HtmlBody");
        var htmlPart = WithRelated(htmlText, inline);
        return plain is null ? htmlPart : new MultipartAlternative { plain, htmlPart };
    }

    private static MimeEntity WithRelated(TextPart html, IReadOnlyList<MimePart> inline)
    {
        if (inline.Count == 0) return html;
        var related = new MultipartRelated { html };
        foreach (var part in inline) related.Add(part);
        return related;
    }

    // Every file is remembered: the message releases their handles after each serialisation.
    private static ReopenableFileStream OpenFile(List<ReopenableFileStream> files, string path, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new SmtpArgumentException($"An empty path was given to {parameterName}.", parameterName);
        var file = ReopenableFileStream.Create(Path.GetFullPath(path));
        files.Add(file);
        return file;
    }
}
