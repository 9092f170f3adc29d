using System.Text;

namespace AsyncSmtp.Mime;

/// <summary>
/// Composes the most common message — one plain ASCII text, short ASCII header lines — straight into the bytes
/// MimeKit would write for it, without building a MimeMessage (whose object graph costs more than all the rest of
/// New-SmtpMessage). Anything else is left to <see cref="MessageBuilder"/>: the composer declines rather than
/// guess how MimeKit would fold or encode a header. Tests hold the output to MimeKit's, byte for byte.
/// </summary>
internal static class PlainMessageComposer
{
    // Where MimeKit starts folding a header; a line that fits is written by MimeKit exactly as given.
    private const int MaxLineLength = 78;

    /// <summary>The composed message, or null when the spec needs MimeKit.</summary>
    public static ComposedMessageSource? TryCompose(SmtpMessageSpec spec, MessageAddresses addresses)
    {
        if (!IsPlainTextOnly(spec) || !IsPlainSubject(spec.Subject)) return null;
        var body = spec.Body ?? string.Empty;
        if (!MessageText.IsPlainSevenBit(body, MessageText.Charset(spec.Encoding))) return null;

        var from = new InternetAddressList { addresses.From };
        var messageId = MessageIds.Create(addresses.MessageIdDomain);
        var head = new StringBuilder(512);
        var bcc = new StringBuilder();
        var fits = AddAddresses(head, "From", from)
            && AddLine(head, "Date", DateHeader.Now())
            && (spec.Subject is null || AddLine(head, "Subject", spec.Subject))
            && AddLine(head, "Message-Id", "<" + messageId + ">")
            && AddAddresses(head, "To", addresses.To)
            && AddAddresses(head, "Cc", addresses.Cc)
            && AddAddresses(bcc, "Bcc", addresses.Bcc);
        var tail = new StringBuilder(256);
        fits = fits && AddAddresses(tail, "Reply-To", addresses.ReplyTo);
        if (!fits) return null;
        AddPriority(tail, spec.Priority);
        tail.Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: 7bit\r\n\r\n");

        var transmitted = Join(head, null, tail, body);
        var saved = bcc.Length == 0 ? transmitted : Join(head, bcc, tail, body);
        return new ComposedMessageSource(from, addresses, spec.Subject, messageId, transmitted, saved);
    }

    // One text/plain part in UTF-8 and nothing MimeKit would have to place among the headers.
    private static bool IsPlainTextOnly(SmtpMessageSpec spec) =>
        spec.HtmlBody is null && !spec.BodyAsHtml
        && (spec.Attachments is null || spec.Attachments.Length == 0)
        && (spec.InlineAttachments is null || spec.InlineAttachments.Count == 0)
        && (spec.Headers is null || !spec.Headers.Any());

    // Printable ASCII without the edges MimeKit trims or the "=?" it might take for an encoded word.
    private static bool IsPlainSubject(string? subject)
    {
        if (subject is null || subject.Length == 0) return true;
        return subject[0] != ' ' && subject[subject.Length - 1] != ' ' && !subject.Contains("=?")
            && AsciiText.IsWithin(subject, 0, subject.Length, ' ', '~');
    }

    private static bool AddAddresses(StringBuilder head, string field, InternetAddressList list) =>
        list.Count == 0 || AddLine(head, field, list.ToString(MimeOptions.Transmit(international: false), true));

    // False when MimeKit would have folded the line or the value is not plain ASCII (an encoded or UTF-8 address).
    private static bool AddLine(StringBuilder head, string field, string value)
    {
        if (field.Length + 2 + value.Length > MaxLineLength || !AsciiText.IsWithin(value, 0, value.Length, ' ', '~'))
            return false;
        head.Append(field).Append(value.Length == 0 ? ":" : ": ").Append(value).Append("\r\n");
        return true;
    }

    // The values MimeKit writes for the three priority headers MessageBuilder sets.
    private static void AddPriority(StringBuilder head, SmtpMessagePriority priority)
    {
        switch (priority)
        {
            case SmtpMessagePriority.High:
                head.Append("X-Priority: 1 (Highest)\r\nImportance: high\r\nPriority: urgent\r\n");
                break;
            case SmtpMessagePriority.Low:
                head.Append("X-Priority: 5 (Lowest)\r\nImportance: low\r\nPriority: non-urgent\r\n");
                break;
        }
    }

    // ASCII throughout (checked above). Every line break of the body (CRLF, CR or LF) becomes CRLF and the body ends
    // with one, as MimeKit writes a text part (MessageText makes the breaks LF, EnsureNewLine adds the last).
    private static byte[] Join(StringBuilder head, StringBuilder? bcc, StringBuilder tail, string body)
    {
        var bytes = new byte[head.Length + (bcc?.Length ?? 0) + tail.Length + BodyLength(body)];
        var at = Append(bytes, 0, head);
        if (bcc is not null) at = Append(bytes, at, bcc);
        at = Append(bytes, at, tail);
        var lineStart = 0;
        while (lineStart < body.Length)
        {
            var lineBreak = AsciiText.NextLineBreak(body, lineStart);
            var lineEnd = lineBreak < 0 ? body.Length : lineBreak;
            at += Encoding.ASCII.GetBytes(body, lineStart, lineEnd - lineStart, bytes, at);
            bytes[at++] = (byte)'\r';
            bytes[at++] = (byte)'\n';
            lineStart = lineBreak < 0 ? body.Length : AsciiText.AfterLineBreak(body, lineBreak);
        }

        if (body.Length == 0) Encoding.ASCII.GetBytes("\r\n", 0, 2, bytes, at);
        return bytes;
    }

    // The characters, less one for each CRLF, plus one for each other break and two when there is no final one.
    private static int BodyLength(string body)
    {
        if (body.Length == 0) return 2;
        var length = body.Length;
        var lineBreak = AsciiText.NextLineBreak(body, 0);
        while (lineBreak >= 0)
        {
            var next = AsciiText.AfterLineBreak(body, lineBreak);
            if (next == lineBreak + 1) length++;
            lineBreak = next < body.Length ? AsciiText.NextLineBreak(body, next) : -1;
        }

        return body[body.Length - 1] is '\r' or '\n' ? length : length + 2;
    }

    private static int Append(byte[] bytes, int at, StringBuilder text)
    {
        for (var i = 0; i < text.Length; i++) bytes[at + i] = (byte)text[i];
        return at + text.Length;
    }
}
