using System.Text;

namespace AsyncSmtp.Mime;

/// <summary>The subject and the text parts in the charset the user chose (UTF-8 when none).</summary>
internal static class MessageText
{
    private static readonly Encoding _default = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

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

        if (subject.IndexOf('\r') >= 0 || subject.IndexOf('\n') >= 0)
            throw new SmtpArgumentException("The subject must be one line: it contains a line break.", "Subject");
        CheckEncodable(charset, subject, "Subject");
        message.Headers.Replace(HeaderId.Subject, charset, subject);
    }

    // The cheapest 7-bit-safe transfer encoding: 7bit for short ASCII lines, else quoted-printable or base64,
    // whichever is smaller; 8BITMIME is not assumed because the message is built before the server is known.
    // A bare CR is turned into a line break here (MimeKit converts only LF to CRLF), as the engine would do on the
    // wire anyway: doing it now keeps Size equal to the bytes actually sent.
    public static TextPart Create(string subtype, string? text, Encoding charset, string parameterName)
    {
        var normalised = (text ?? string.Empty).Replace("\r\n", "\n").Replace('\r', '\n');
        CheckEncodable(charset, normalised, parameterName);
        var part = new TextPart(subtype);
        part.SetText(charset, normalised);
        part.ContentTransferEncoding = part.GetBestEncoding(EncodingConstraint.SevenBit);
        return part;
    }

    // An encoding that cannot hold a character replaces it with '?' without a word: the text would arrive changed.
    private static void CheckEncodable(Encoding charset, string text, string parameterName)
    {
        var strict = (Encoding)charset.Clone();
        strict.EncoderFallback = EncoderFallback.ExceptionFallback;
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
}
