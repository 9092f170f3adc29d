using System.Text;

namespace AsyncSmtp.Mime;

/// <summary>The subject and the text parts in the charset the user chose (UTF-8 when none).</summary>
internal static class MessageText
{
    private static readonly Encoding _default = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    // The default charset with an exception fallback, made once: cloning an Encoding per text costs an allocation.
    private static readonly Encoding _strictDefault = Strict(_default);

    // MimeKit's limit for 7bit text (RFC 5322's 78 characters a line): longer lines make it quoted-printable.
    private const int SevenBitLineLength = 78;

    /// <summary>The charset to use: the one given, or UTF-8.</summary>
    public static Encoding Charset(Encoding? chosen) => chosen ?? _default;

    /// <summary>Sets (or, for null, removes) the Subject: an RFC 2047 word in the charset when not ASCII.</summary>
    public static void SetSubject(MimeMessage message, string? subject, Encoding charset)
    {
        if (subject is null)
        {
            message.Headers.Remove(HeaderId.Subject);
            return;
        }

        CheckSubject(subject, charset);
        message.Headers.Replace(HeaderId.Subject, charset, subject);
    }

    /// <summary>The Subject header as MimeKit encodes and folds it; refused as SetSubject refuses it.</summary>
    public static Header SubjectHeader(string subject, Encoding charset)
    {
        CheckSubject(subject, charset);
        return new Header(charset, HeaderId.Subject, subject);
    }

    private static void CheckSubject(string subject, Encoding charset)
    {
        if (subject.IndexOf('\r') >= 0 || subject.IndexOf('\n') >= 0)
            throw new SmtpArgumentException("The subject must be one line: it contains a line break.", "Subject");
        CheckEncodable(charset, subject, "Subject");
    }

    // The cheapest 7-bit-safe transfer encoding: 7bit for short ASCII lines, else quoted-printable or base64,
    // whichever is smaller; 8BITMIME is not assumed because the message is built before the server is known.
    // A bare CR is turned into a line break here (MimeKit converts only LF to CRLF), as the engine would do on the
    // wire anyway: doing it now keeps Size equal to the bytes actually sent.
    public static TextPart Create(string subtype, string? text, Encoding charset, string parameterName)
    {
        var normalised = WithLineFeeds(text);
        CheckEncodable(charset, normalised, parameterName);
        var part = new TextPart(subtype);
        // What TextPart.SetText does, over a stream that a send leaves unchanged (ReadOnlyBytesStream says why).
        part.ContentType.CharsetEncoding = charset;
        part.Content = new MimeContent(new ReadOnlyBytesStream(charset.GetBytes(normalised)));
        part.ContentTransferEncoding = IsPlainSevenBit(normalised, charset)
            ? ContentEncoding.SevenBit
            : part.GetBestEncoding(EncodingConstraint.SevenBit);
        return part;
    }

    /// <summary>The text with every line break (CRLF, CR or LF) as LF; null as empty.</summary>
    public static string WithLineFeeds(string? text) =>
        (text ?? string.Empty).Replace("\r\n", "\n").Replace('\r', '\n');

    // The common case decided without MimeKit's pass over the encoded text (a filtered stream and its buffers,
    // about 5 KB and a sixth of building a message): UTF-8 text that is ASCII without NUL, lines of at most 78
    // characters, no line starting "From " (which MimeKit protects from mbox quoting). Exactly the texts for which
    // GetBestEncoding(SevenBit) says 7bit; anything else is left to it. A line ends at LF, CR or CRLF, so the text
    // may be given before or after WithLineFeeds.
    internal static bool IsPlainSevenBit(string text, Encoding charset)
    {
        if (charset.CodePage != _default.CodePage) return false;
        var lineStart = 0;
        while (true)
        {
            var lineBreak = AsciiText.NextLineBreak(text, lineStart);
            var length = (lineBreak < 0 ? text.Length : lineBreak) - lineStart;
            if (length > SevenBitLineLength || !AsciiText.IsWithin(text, lineStart, length, '\u0001', '\u007F'))
                return false;
            if (lineBreak < 0) return true;
            if (string.CompareOrdinal(text, lineStart, "From ", 0, 5) == 0) return false;
            lineStart = AsciiText.AfterLineBreak(text, lineBreak);
        }
    }

    // An encoding that cannot hold a character replaces it with '?' without a word: the text would arrive changed.
    private static void CheckEncodable(Encoding charset, string text, string parameterName)
    {
        var strict = ReferenceEquals(charset, _default) ? _strictDefault : Strict(charset);
        try
        {
            strict.GetByteCount(text);
        }
        catch (EncoderFallbackException unencodable)
        {
            throw new SmtpArgumentException(
                $"The {parameterName} holds '{unencodable.CharUnknown}', which {charset.WebName} cannot encode: " +
                "leave out -Encoding (UTF-8) or choose an encoding that has it.",
                parameterName);
        }
    }

    private static Encoding Strict(Encoding charset)
    {
        var strict = (Encoding)charset.Clone();
        strict.EncoderFallback = EncoderFallback.ExceptionFallback;
        return strict;
    }
}
