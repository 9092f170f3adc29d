using AsyncSmtp.Mime;

namespace AsyncSmtp;

/// <summary>
/// A message ready to send: built by New-SmtpMessage or read from an .eml file / raw bytes.
/// Not disposable on purpose: the files it reads from (attachments, a loaded .eml) are opened only while it is
/// serialised, so an object left in a PowerShell variable or pipeline holds no handle and locks no file.
/// One serialisation runs at a time; concurrent sends of the same object wait for each other. A plain-text message
/// is held as the bytes it is sent as.
/// </summary>
public sealed class SmtpMessage
{
    private readonly MessageSource _source;

    internal SmtpMessage(MessageSource source)
    {
        _source = source;
    }

    /// <summary>The From mailbox(es), formatted ("Name &lt;addr&gt;" or the bare address); null when absent.</summary>
    public string? From => _source.From.Count == 0 ? null : string.Join(", ", AddressDisplay.Format(_source.From));

    /// <summary>
    /// The To addresses, formatted for people: "Name &lt;addr&gt;" (quoted only when needed) or the bare address.
    /// </summary>
    public string[] To => AddressDisplay.Format(_source.To);

    public string[] Cc => AddressDisplay.Format(_source.Cc);

    public string[] Bcc => AddressDisplay.Format(_source.Bcc);

    public string? Subject => _source.Subject;

    /// <summary>The Message-Id without angle brackets; null when a loaded message has none.</summary>
    public string? MessageId => _source.MessageId;

    /// <summary>The headers hold UTF-8 addresses: the message can only be sent to a server offering SMTPUTF8.</summary>
    public bool RequiresSmtpUtf8 => _source.International;

    /// <summary>
    /// Whether the content is read from files (attachments, or the .eml the message was loaded from):
    /// such a message may be large, and <see cref="Size"/> costs a read of those files.
    /// </summary>
    public bool ReadsFiles => _source.Files.Count > 0;

    /// <summary>
    /// Bytes as transmitted (Bcc omitted), before SMTP dot-stuffing. Known at once for a message held as bytes;
    /// otherwise measured once, on first use, without buffering the message.
    /// </summary>
    public long Size => _source.Size;

    /// <summary>Whether <see cref="Size"/> costs nothing: the message is held as the bytes it is sent as.</summary>
    internal bool SizeIsKnown => _source is ComposedMessageSource;

    /// <summary>
    /// Writes the message as an .eml file (Bcc kept, as a draft), replacing any file there. The file is written
    /// under a temporary name and then renamed, so a failed save never leaves half a message behind. The files the
    /// message reads from (its .eml source, its attachments) cannot be the target: IOException. A relative path is
    /// relative to the working directory, or with the PowerShell module imported, on a PowerShell thread, to that
    /// runspace's current location.
    /// </summary>
    public void Save(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A path is required.", nameof(path));
        var target = SavePaths.ToFullPath(path);
        if (_source.Files.Any(f => string.Equals(f.Path, target, StringComparison.OrdinalIgnoreCase)))
            throw new IOException($"Cannot save over '{target}': the message reads its content from that file.");

        var temporary = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                _source.WriteSaved(file);
            }

            if (File.Exists(target)) File.Replace(temporary, target, null);
            else File.Move(temporary, target);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>
    /// The envelope: explicit values when given, else from the headers — sender = Sender, else From (one mailbox);
    /// recipients = To + Cc + Bcc; when the message has exactly one Resent block, Resent-Sender/Resent-From and
    /// Resent-To + Resent-Cc + Resent-Bcc instead; more than one Resent block is an error. Addresses are bare
    /// addr-specs, groups expanded, duplicates removed ignoring case. SmtpArgumentException when no sender or no
    /// recipient can be found.
    /// </summary>
    /// <param name="sender">Overrides the header sender; "" or "&lt;&gt;" is the null reverse path (bounces).</param>
    /// <param name="recipients">
    /// Override the header recipients when not empty; each is one address (<see cref="EnvelopeAddress"/>).
    /// </param>
    /// <param name="notify">DSN NOTIFY for every recipient.</param>
    public SmtpEnvelope CreateEnvelope(string? sender = null, IEnumerable<string>? recipients = null,
        SmtpNotify notify = SmtpNotify.Default)
    {
        var envelopeSender = sender is null
            ? _source.EnvelopeSender()
            : EnvelopeAddress.Sender(sender);
        var explicitRecipients = recipients?.ToList();
        var addresses = explicitRecipients is { Count: > 0 }
            ? explicitRecipients.Select(EnvelopeAddress.Recipient).ToList()
            : _source.EnvelopeRecipients();
        var unique = WithoutRepeats(addresses);
        if (unique.Count == 0)
            throw new SmtpArgumentException(
                "The message has no recipients: no To, Cc or Bcc header and no recipient given.", "Recipient");

        var international = _source.International || !AsciiText.IsAscii(envelopeSender);
        var envelopeRecipients = new SmtpRecipient[unique.Count];
        for (var i = 0; i < unique.Count; i++)
        {
            envelopeRecipients[i] = new SmtpRecipient(unique[i], notify);
            international = international || !AsciiText.IsAscii(unique[i]);
        }

        return new SmtpEnvelope(envelopeSender, envelopeRecipients) { RequireSmtpUtf8 = international };
    }

    // One recipient (a bulk send's usual message) needs no set to find repeats in.
    private static List<string> WithoutRepeats(IEnumerable<string> addresses)
    {
        var all = addresses as List<string> ?? addresses.ToList();
        if (all.Count < 2) return all;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return all.Where(seen.Add).ToList();
    }

    /// <summary>
    /// The content as sent: CRLF, Bcc and Resent-Bcc never transmitted; Length is <see cref="Size"/>.
    /// </summary>
    public SmtpContent CreateContent() => _source.CreateContent();

    public override string ToString()
    {
        var recipients = To.Concat(Cc).Concat(Bcc).ToList();
        return $"\"{Subject}\" from {From ?? "(no From)"} to " +
            $"{(recipients.Count == 0 ? "(no recipients)" : string.Join(", ", recipients))}";
    }
}
