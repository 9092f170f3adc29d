using System.Text;

namespace AsyncSmtp.Mime;

/// <summary>
/// Composes the most common message — one plain text — straight into the bytes MimeKit would write for it, without
/// building a MimeMessage (whose object graph costs more than all the rest of New-SmtpMessage). Short ASCII lines are
/// written here; whatever MimeKit would encode or fold (a non-ASCII subject, a long address list, an extra header,
/// text that needs a transfer encoding) is MimeKit's own header or text part, made alone. HTML, attachments, Sender
/// and Resent-* headers and UTF-8 local parts are left to <see cref="MessageBuilder"/>. Tests hold the output to
/// MimeKit's, byte for byte.
/// </summary>
internal static class PlainMessageComposer
{
    // Where MimeKit starts folding a header; a line that fits is written by MimeKit exactly as given.
    private const int MaxLineLength = 78;

    // The part headers of plain 7bit text, written before it.
    private static readonly byte[] _plainTextHeaders = Encoding.ASCII.GetBytes(
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");

    // After the "<" of a plain message id, the first of these must be its closing ">".
    private static readonly char[] _notInId = { '<', '>', ' ', '\t', '(', '"', '\\' };

    /// <summary>
    /// The composed message, or null when the spec needs MimeKit. A subject, body or extra header that cannot be
    /// sent (a line break in the subject, text the charset cannot encode, a bad header) is refused as
    /// MessageBuilder refuses it.
    /// </summary>
    public static ComposedMessageSource? TryCompose(SmtpMessageSpec spec, MessageAddresses addresses)
    {
        if (!IsOnePlainText(spec)) return null;
        var charset = MessageText.Charset(spec.Encoding);
        var from = new InternetAddressList { addresses.From };
        var messageId = MessageIds.Create(addresses.MessageIdDomain);
        var headers = new ComposedHeaders();
        if (!AddAddresses(headers, HeaderId.From, from) || !AddLine(headers, "Date", DateHeader.Now())) return null;
        if (!AddSubject(headers, spec.Subject, charset, out var subject)) return null;
        var fits = AddMessageId(headers, messageId)
            && AddAddresses(headers, HeaderId.To, addresses.To)
            && AddAddresses(headers, HeaderId.Cc, addresses.Cc)
            && AddAddresses(headers, HeaderId.Bcc, addresses.Bcc)
            && AddAddresses(headers, HeaderId.ReplyTo, addresses.ReplyTo);
        if (!fits) return null;
        AddPriority(headers, spec.Priority);
        if (!AddCustomHeaders(headers, spec.Headers, ref messageId)) return null;
        headers.Add("MIME-Version", "MIME-Version: 1.0\r\n");

        var body = spec.Body ?? string.Empty;
        var text = MessageText.IsPlainSevenBit(body, charset) ? body : null;
        // Text that needs a transfer encoding is MimeKit's text part, written as MimeKit writes a message's body.
        var part = text is null
            ? SerialisedPart(MessageText.Create("plain", body, charset, "Body"), body.Length)
            : new ArraySegment<byte>(_plainTextHeaders);

        var transmitted = Join(headers, withBcc: false, part, text);
        var saved = headers.HasBcc ? Join(headers, withBcc: true, part, text) : transmitted;
        return new ComposedMessageSource(from, addresses, subject, messageId, transmitted, saved);
    }

    // Base64 text is a third longer, quoted-printable mostly a little: room for a third more spares most of the
    // stream's regrowing copies. Join copies the bytes out.
    private static ArraySegment<byte> SerialisedPart(MimeEntity part, int textLength)
    {
        var bytes = new MemoryStream(512 + textLength * 4 / 3);
        part.WriteTo(MimeOptions.Transmit(international: false), bytes);
        return new ArraySegment<byte>(bytes.GetBuffer(), 0, (int)bytes.Length);
    }

    // One text/plain part: no HTML, no attachments.
    private static bool IsOnePlainText(SmtpMessageSpec spec) =>
        spec.HtmlBody is null && !spec.BodyAsHtml
        && (spec.Attachments is null || spec.Attachments.Length == 0)
        && (spec.InlineAttachments is null || spec.InlineAttachments.Count == 0);

    // As CustomHeaders.Apply does to a MimeMessage: the first value of a header the message has (Date, Message-Id,
    // the priority headers) takes its place, any other is added. A Sender or Resent-* header is left to MimeKit (the
    // envelope then comes from the headers); so is a Message-Id that is not plainly one "<id>".
    private static bool AddCustomHeaders(ComposedHeaders headers, IEnumerable<KeyValuePair<string, string>>? custom,
        ref string messageId)
    {
        foreach (var (name, value, first) in CustomHeaders.Checked(custom))
        {
            if (CustomHeaders.ChangesEnvelope(name)) return false;
            var lines = Folded(new Header(Encoding.UTF8, name, value));
            if (lines is null) return false;
            if (!first || !headers.Replace(name, lines))
            {
                headers.Add(name, lines);
                continue;
            }

            if (!name.Equals("Message-Id", StringComparison.OrdinalIgnoreCase)) continue;
            var id = value.Trim();
            if (id.Length < 3 || id[0] != '<' || id.IndexOfAny(_notInId, 1) != id.Length - 1) return false;
            messageId = id.Substring(1, id.Length - 2);
        }

        return true;
    }

    // A plain subject that fits on its line is written as given; any other is MimeKit's Subject header (encoded
    // words, folded), and the message's Subject is what MimeKit reads back from it, as for a message MimeKit built
    // (edges trimmed).
    private static bool AddSubject(ComposedHeaders headers, string? given, Encoding charset, out string? subject)
    {
        subject = given;
        if (given is null) return true;
        if (IsPlainSubject(given) && AddLine(headers, "Subject", given)) return true;
        var header = MessageText.SubjectHeader(given, charset);
        subject = header.Value;
        return Add(headers, header.Field, Folded(header));
    }

    // A long sender's domain makes a line MimeKit writes in its own way.
    private static bool AddMessageId(ComposedHeaders headers, string messageId)
    {
        var value = "<" + messageId + ">";
        return AddLine(headers, "Message-Id", value)
            || Add(headers, "Message-Id", Folded(new Header(HeaderId.MessageId, value)));
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
    private static bool AddAddresses(ComposedHeaders headers, HeaderId id, InternetAddressList list)
    {
        if (list.Count == 0) return true;
        var encoded = SimpleAddress.HeaderText(list)
            ?? list.ToString(MimeOptions.Transmit(international: false), true);
        if (!AsciiText.IsAscii(encoded)) return false;
        var field = id.ToHeaderName();
        return AddLine(headers, field, encoded) || Add(headers, field, Folded(new Header(id, list.ToString())));
    }

    // A header as MimeKit encoded and folded it; null when it holds 8-bit text (a UTF-8 local part), which would
    // make the message one for SMTPUTF8 only, as MimeKit's message says.
    private static string? Folded(Header header)
    {
        var raw = header.RawValue;
        if (raw.Any(b => b >= 0x80)) return null;
        // The raw value is folded with the platform's line break; the message has CRLF.
        return header.Field + ":" + Encoding.ASCII.GetString(raw).Replace("\r\n", "\n").Replace("\n", "\r\n");
    }

    private static bool Add(ComposedHeaders headers, string field, string? lines)
    {
        if (lines is null) return false;
        headers.Add(field, lines);
        return true;
    }

    // False when MimeKit would have folded the line or the value is not plain ASCII (an encoded or UTF-8 address).
    private static bool AddLine(ComposedHeaders headers, string field, string value)
    {
        if (field.Length + 2 + value.Length > MaxLineLength || !AsciiText.IsWithin(value, 0, value.Length, ' ', '~'))
            return false;
        headers.Add(field, field + (value.Length == 0 ? ":" : ": ") + value + "\r\n");
        return true;
    }

    // The values MimeKit writes for the three priority headers MessageBuilder sets.
    private static void AddPriority(ComposedHeaders headers, SmtpMessagePriority priority)
    {
        if (priority == SmtpMessagePriority.Normal) return;
        var high = priority == SmtpMessagePriority.High;
        headers.Add("X-Priority", high ? "X-Priority: 1 (Highest)\r\n" : "X-Priority: 5 (Lowest)\r\n");
        headers.Add("Importance", high ? "Importance: high\r\n" : "Importance: low\r\n");
        headers.Add("Priority", high ? "Priority: urgent\r\n" : "Priority: non-urgent\r\n");
    }

    // The headers, then the body part: MimeKit's serialised text part, or the part headers of plain 7bit text and
    // the text, of which every line break (CRLF, CR or LF) becomes CRLF, ending with one, as MimeKit writes a text
    // part (MessageText makes the breaks LF, EnsureNewLine adds the last).
    private static byte[] Join(ComposedHeaders headers, bool withBcc, ArraySegment<byte> part, string? text)
    {
        var bytes = new byte[headers.Length(withBcc) + part.Count + (text is null ? 0 : TextLength(text))];
        var at = headers.CopyTo(bytes, withBcc);
        Buffer.BlockCopy(part.Array!, part.Offset, bytes, at, part.Count);
        at += part.Count;
        if (text is null) return bytes;

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

    // Each line break, whatever it was, becomes two bytes.
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

}
