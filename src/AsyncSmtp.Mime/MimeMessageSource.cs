using MimeKit.IO;

namespace AsyncSmtp.Mime;

/// <summary>
/// A MimeKit message: built here with attachments, HTML or extra headers, or read from an .eml file / raw bytes.
/// One serialisation runs at a time; concurrent sends of the same message wait for each other.
/// </summary>
internal sealed class MimeMessageSource : MessageSource
{
    private readonly MimeMessage _message;
    private readonly IReadOnlyList<ReopenableFileStream> _files;
    private readonly bool _international;
    // Built here, no Sender or Resent header added: the envelope comes from MimeKit's address lists (HeaderEnvelope).
    private readonly bool _envelopeFromLists;
    // MimeKit content streams have one position each: two serialisations at once would interleave their reads.
    private readonly SemaphoreSlim _serialisation = new(1, 1);
    private long _size = -1;

    /// <param name="message">The MIME message, not to be changed afterwards.</param>
    /// <param name="files">The files it reads when serialised.</param>
    /// <param name="built">Built here from parameters: its address headers were written from its address lists.</param>
    public MimeMessageSource(MimeMessage message, IReadOnlyList<ReopenableFileStream> files, bool built)
    {
        _message = message;
        _files = files;
        _international = Utf8Headers.AreRequired(message.Headers);
        _envelopeFromLists = built && HeaderEnvelope.CanReadFromLists(message.Headers);
    }

    public override InternetAddressList From => _message.From;

    public override InternetAddressList To => _message.To;

    public override InternetAddressList Cc => _message.Cc;

    public override InternetAddressList Bcc => _message.Bcc;

    public override string? Subject => _message.Subject;

    public override string? MessageId => _message.MessageId;

    public override bool International => _international;

    public override IReadOnlyList<ReopenableFileStream> Files => _files;

    /// <summary>Measured once, on first use, without buffering the message.</summary>
    public override long Size
    {
        get
        {
            var size = Interlocked.Read(ref _size);
            if (size >= 0) return size;
            using (var measuring = new MeasuringStream())
            {
                Serialise(MimeOptions.Transmit(_international), measuring);
                size = measuring.Length;
            }

            Interlocked.Exchange(ref _size, size);
            return size;
        }
    }

    public override string EnvelopeSender() => HeaderEnvelope.Sender(_message, _envelopeFromLists);

    public override IEnumerable<string> EnvelopeRecipients() =>
        HeaderEnvelope.Recipients(_message, _envelopeFromLists);

    public override void WriteSaved(Stream target) => Serialise(MimeOptions.Save(_international), target);

    /// <summary>Streamed from MimeKit; Length is <see cref="Size"/>.</summary>
    public override SmtpContent CreateContent() => SmtpContent.FromMeasuredWriter(WriteAsync, () => Size);

    private async Task WriteAsync(Stream destination, CancellationToken cancellationToken)
    {
        await _serialisation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Straight into the engine's body stream, which buffers and encodes; only asynchronous writes reach it.
            await _message.WriteToAsync(MimeOptions.Transmit(_international), destination,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ReleaseFiles();
            _serialisation.Release();
        }
    }

    private void Serialise(FormatOptions options, Stream target)
    {
        _serialisation.Wait();
        try
        {
            _message.WriteTo(options, target);
        }
        finally
        {
            ReleaseFiles();
            _serialisation.Release();
        }
    }

    private void ReleaseFiles()
    {
        foreach (var file in _files) file.Release();
    }
}
