namespace AsyncSmtp.Mime;

/// <summary>
/// What an <see cref="SmtpMessage"/> is made of: a MimeKit message (<see cref="MimeMessageSource"/>), or the bytes
/// of a plain-text message composed here without one (<see cref="ComposedMessageSource"/>).
/// </summary>
internal abstract class MessageSource
{
    public abstract InternetAddressList From { get; }

    public abstract InternetAddressList To { get; }

    public abstract InternetAddressList Cc { get; }

    public abstract InternetAddressList Bcc { get; }

    public abstract string? Subject { get; }

    /// <summary>Without angle brackets; null when a loaded message has none.</summary>
    public abstract string? MessageId { get; }

    /// <summary>The transmitted headers hold UTF-8 addresses (SMTPUTF8 needed).</summary>
    public abstract bool International { get; }

    /// <summary>The files read while serialising (attachments, a loaded .eml).</summary>
    public abstract IReadOnlyList<ReopenableFileStream> Files { get; }

    /// <summary>Bytes as transmitted, before dot-stuffing.</summary>
    public abstract long Size { get; }

    /// <summary>The MAIL FROM address, taken from the headers.</summary>
    public abstract string EnvelopeSender();

    /// <summary>The RCPT TO addresses, taken from the headers, repeats included.</summary>
    public abstract IEnumerable<string> EnvelopeRecipients();

    /// <summary>Writes the message as an .eml file holds it: every header kept, Bcc included.</summary>
    public abstract void WriteSaved(Stream target);

    /// <summary>The content as transmitted: Bcc and Resent-Bcc left out.</summary>
    public abstract SmtpContent CreateContent();
}
