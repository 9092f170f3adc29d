using System.Text;

namespace AsyncSmtp.Mime;

/// <summary>
/// Makes <see cref="SmtpMessage"/> objects: built from parameters, read from an .eml file or from raw bytes.
/// </summary>
public static class SmtpMessageFactory
{
    /// <summary>
    /// Builds a message. Bad addresses, header names or values: SmtpArgumentException. Missing attachment:
    /// FileNotFoundException.
    /// </summary>
    public static SmtpMessage Create(SmtpMessageSpec spec)
    {
        if (spec is null) throw new ArgumentNullException(nameof(spec));
        var addresses = MessageAddresses.Parse(spec);
        var composed = PlainMessageComposer.TryCompose(spec, addresses);
        if (composed is not null) return new SmtpMessage(composed);
        var (message, files) = MessageBuilder.Build(spec, addresses);
        return new SmtpMessage(new MimeMessageSource(message, files, built: true));
    }

    /// <summary>
    /// Reads an .eml file. Parsing is persistent: only headers and part offsets are kept in memory, part contents
    /// are read from the file again whenever the message is serialised (the file must not change meanwhile).
    /// Missing file: FileNotFoundException; not a MIME message: SmtpArgumentException naming the path.
    /// </summary>
    public static SmtpMessage Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new SmtpArgumentException("An empty path was given.", "Path");
        var file = ReopenableFileStream.Create(Path.GetFullPath(path));
        try
        {
            var message = ParseMessage(file, $"'{file.Path}'", "Path");
            return new SmtpMessage(new MimeMessageSource(message, new[] { file }, built: false));
        }
        finally
        {
            file.Release();
        }
    }

    /// <summary>
    /// Reads a raw message (RFC 5322 bytes). The array is used in place, not copied: do not change it afterwards.
    /// </summary>
    public static SmtpMessage Parse(byte[] raw)
    {
        if (raw is null) throw new ArgumentNullException(nameof(raw));
        var message = ParseMessage(new ReadOnlyBytesStream(raw), "The raw message", "RawMessage");
        return new SmtpMessage(new MimeMessageSource(message, Array.Empty<ReopenableFileStream>(), built: false));
    }

    /// <summary>Reads a raw message given as text (encoded as UTF-8).</summary>
    public static SmtpMessage Parse(string raw)
    {
        if (raw is null) throw new ArgumentNullException(nameof(raw));
        return Parse(Encoding.UTF8.GetBytes(raw));
    }

    private static MimeMessage ParseMessage(Stream stream, string source, string argumentName)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(MimeOptions.Lenient, stream, persistent: true);
        }
        catch (FormatException e)
        {
            throw new SmtpArgumentException($"{source} is not a MIME message: {e.Message}", argumentName);
        }

        // MimeKit accepts a header-less body as a message; no mail system would.
        if (message.Headers.Count == 0)
            throw new SmtpArgumentException($"{source} is not a MIME message: it has no headers.", argumentName);
        return message;
    }
}
