using System.Text;

namespace AsyncSmtp.Mime;

/// <summary>
/// Composes the most common message — one plain text — straight into the bytes MimeKit would write for it, without
/// building a MimeMessage (whose object graph costs more than all the rest of New-SmtpMessage). Short ASCII lines are
/// written here; whatever MimeKit would encode or fold (a non-ASCII subject, a long address list, text that needs a
/// transfer encoding) is MimeKit's own header or text part, made alone. HTML, attachments, extra headers and UTF-8
/// local parts are left to <see cref="MessageBuilder"/>. Tests hold the output to MimeKit's, byte for byte.
/// </summary>
internal static class PlainMessageComposer
{
    // Where MimeKit starts folding a header; a line that fits is written by MimeKit exactly as given.
    private const int MaxLineLength = 78;

    /// <summary>
    /// The composed message, or null when the spec needs MimeKit. A subject or body that cannot be sent (a line
    /// break in the subject, text the charset cannot encode) is refused as MessageBuilder refuses it.
    /// </summary>
    public static ComposedMessageSource? TryCompose(SmtpMessageSpec spec, MessageAddresses addresses)
    {
        if (!IsPlainTextOnly(spec)) return null;
        var charset = MessageText.Charset(spec.Encoding);
        var from = new InternetAddressList { addresses.From };
        var messageId = MessageIds.Create(addresses.MessageIdDomain);
        var head = new StringBuilder(512);
        var bcc = new StringBuilder();
        var fits = AddAddresses(head, HeaderId.From, from) && AddLine(head, "Date", DateHeader.Now());
        if (!fits || !AddSubject(head, spec.Subject, charset, out var subject)) return null;
        fits = AddMessageId(head, messageId)
            && AddAddresses(head, HeaderId.To, addresses.To)
            && AddAddresses(head, HeaderId.Cc, addresses.Cc)
            && AddAddresses(bcc, HeaderId.Bcc, addresses.Bcc);
        var tail = new StringBuilder(256);
        fits = fits && AddAddresses(tail, HeaderId.ReplyTo, addresses.ReplyTo);
        if (!fits) return null;
        AddPriority(tail, spec.Priority);
        tail.Append("MIME-Version: 1.0\r\n");

        var body = spec.Body ?? string.Empty;
        var text = MessageText.IsPlainSevenBit(body, charset) ? body : null;
        // Text that needs a transfer encoding is MimeKit's text part, written as MimeKit writes a message's body.
        var part = text is null
            ? SerialisedPart(MessageText.Create("plain", body, charset, "Body"), body.Length)
            : default;
        if (text is not null) tail.Append(PlainTextHeaders);

        var transmitted = Join(head, null, tail, text, part);
        var saved = bcc.Length == 0 ? transmitted : Join(head, bcc, tail, text, part);
        return new ComposedMessageSource(from, addresses, subject, messageId, transmitted, saved);
    }

    private const string PlainTextHeaders =
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n";

    // Base64 text is a third longer, quoted-printable mostly a little: room for a third more spares most of the
    // stream's regrowing copies. Join copies the bytes out.
    private static ArraySegment<byte> SerialisedPart(MimeEntity part, int textLength)
    {
        var bytes = new MemoryStream(512 + textLength * 4 / 3);
        part.WriteTo(MimeOptions.Transmit(international: false), bytes);
        return new ArraySegment<byte>(bytes.GetBuffer(), 0, (int)bytes.Length);
    }

    // One text/plain part in UTF-8 and nothing MimeKit would have to place among the headers.
    private static bool IsPlainTextOnly(SmtpMessageSpec spec) =>
        spec.HtmlBody is null && !spec.BodyAsHtml
        && (spec.Attachments is null || spec.Attachments.Length == 0)
        && (spec.InlineAttachments is null || spec.InlineAttachments.Count == 0)
        && (spec.Headers is null || !spec.Headers.Any());

    // A plain subject that fits on its line is written as given; any other is MimeKit's Subject header (encoded
    // words, folded), and the message's Subject is what MimeKit reads back from it, as for a message MimeKit built
    // (edges trimmed).
    private static bool AddSubject(StringBuilder head, string? given, Encoding charset, out string? subject)
    {
        subject = given;
        if (given is null) return true;
        if (IsPlainSubject(given) && AddLine(head, "Subject", given)) return true;
        var header = MessageText.SubjectHeader(given, charset);
        subject = header.Value;
        return AddFolded(head, header);
    }

    // A long sender's domain makes a line MimeKit writes in its own way.
    private static bool AddMessageId(StringBuilder head, string messageId)
    {
        var value = "<" + messageId + ">";
        return AddLine(head, "Message-Id", value) || AddFolded(head, new Header(HeaderId.MessageId, value));
    }

    // Printable ASCII without the edges MimeKit trims or the "=?" it might take for an encoded word.
    private static bool IsPlainSubject(string subject) =>
        subject.Length == 0
        || (subject[0] != ' ' && subject[subject.Length - 1] != ' ' && !subject.Contains("=?")
            && AsciiText.IsWithin(subject, 0, subject.Length, ' ', '~'));

    // An address line MimeKit would fold is MimeKit's own header, made from the list's text: the same bytes as a
    // MimeMessage writes from its list (ComposedMessageTests compares them). Declined for a UTF-8 local part, the
    // one thing the encoded list keeps as 8-bit text (such a message needs SMTPUTF8, and the header made from text
    // would replace it with '?').
    private static bool AddAddresses(StringBuilder head, HeaderId id, InternetAddressList list)
    {
        if (list.Count == 0) return true;
        var encoded = list.ToString(MimeOptions.Transmit(international: false), true);
        if (!AsciiText.IsWithin(encoded, 0, encoded.Length, '\u0000', '\u007F')) return false;
        return AddLine(head, id.ToHeaderName(), encoded) || AddFolded(head, new Header(id, list.ToString()));
    }

    // A header as MimeKit encoded and folded it; false when it holds 8-bit text (a UTF-8 local part), which would
    // make the message one for SMTPUTF8 only, as MimeKit's message says.
    private static bool AddFolded(StringBuilder head, Header header)
    {
        var raw = header.RawValue;
        if (raw.Any(b => b >= 0x80)) return false;
        // The raw value is folded with the platform's line break; the message has CRLF.
        var value = Encoding.ASCII.GetString(raw).Replace("\r\n", "\n").Replace("\n", "\r\n");
        head.Append(header.Field).Append(':').Append(value);
        return true;
    }

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

    // The headers are ASCII (checked above); then either the body part as MimeKit wrote it, or plain 7bit text of
    // which every line break (CRLF, CR or LF) becomes CRLF, ending with one, as MimeKit writes a text part
    // (MessageText makes the breaks LF, EnsureNewLine adds the last).
    private static byte[] Join(StringBuilder head, StringBuilder? bcc, StringBuilder tail, string? text,
        ArraySegment<byte> part)
    {
        var headLength = head.Length + (bcc?.Length ?? 0) + tail.Length;
        var bytes = new byte[headLength + (text is null ? part.Count : TextLength(text))];
        var at = Append(bytes, 0, head);
        if (bcc is not null) at = Append(bytes, at, bcc);
        at = Append(bytes, at, tail);
        if (text is null)
        {
            Buffer.BlockCopy(part.Array!, part.Offset, bytes, at, part.Count);
            return bytes;
        }

        var lineStart = 0;
        while (lineStart < text.Length)
        {
            var lineBreak = AsciiText.NextLineBreak(text, lineStart);
            var lineEnd = lineBreak < 0 ? text.Length : lineBreak;
            at += Encoding.ASCII.GetBytes(text, lineStart, lineEnd - lineStart, bytes, at);
            bytes[at++] = (byte)'\r';
            bytes[at++] = (byte)'\n';
            lineStart = lineBreak < 0 ? text.Length : AsciiText.AfterLineBreak(text, lineBreak);
        }

        if (text.Length == 0) Encoding.ASCII.GetBytes("\r\n", 0, 2, bytes, at);
        return bytes;
    }

    // The characters, less one for each CRLF, plus one for each other break and two when there is no final one.
    private static int TextLength(string body)
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
