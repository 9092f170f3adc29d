namespace AsyncSmtp.Mime;

/// <summary>
/// A plain-text message held as the bytes it is sent as (<see cref="PlainMessageComposer"/>): sending or saving
/// it writes an array, and nothing in it ever changes.
/// </summary>
internal sealed class ComposedMessageSource : MessageSource
{
    private readonly InternetAddressList _from;
    private readonly MessageAddresses _addresses;
    private readonly byte[] _transmitted;
    private readonly byte[] _saved;

    /// <param name="from">The From list (the one mailbox).</param>
    /// <param name="addresses">The parsed addresses.</param>
    /// <param name="subject">The subject; null when the message has none.</param>
    /// <param name="messageId">The Message-Id, without angle brackets.</param>
    /// <param name="transmitted">The message as sent: without its Bcc header.</param>
    /// <param name="saved">The message as saved: with its Bcc header.</param>
    public ComposedMessageSource(InternetAddressList from, MessageAddresses addresses, string? subject,
        string messageId, byte[] transmitted, byte[] saved)
    {
        _from = from;
        _addresses = addresses;
        Subject = subject;
        MessageId = messageId;
        _transmitted = transmitted;
        _saved = saved;
    }

    public override InternetAddressList From => _from;

    public override InternetAddressList To => _addresses.To;

    public override InternetAddressList Cc => _addresses.Cc;

    public override InternetAddressList Bcc => _addresses.Bcc;

    public override string? Subject { get; }

    public override string? MessageId { get; }

    // Composed only when every header is ASCII.
    public override bool International => false;

    public override IReadOnlyList<ReopenableFileStream> Files => Array.Empty<ReopenableFileStream>();

    public override long Size => _transmitted.Length;

    public override string EnvelopeSender() => HeaderEnvelope.Sender(_from);

    public override IEnumerable<string> EnvelopeRecipients() =>
        HeaderEnvelope.Recipients(_addresses.To, _addresses.Cc, _addresses.Bcc);

    public override void WriteSaved(Stream target) => target.Write(_saved, 0, _saved.Length);

    public override SmtpContent CreateContent() => SmtpContent.FromBytes(_transmitted);
}
