namespace AsyncSmtp.Mime;

/// <summary>
/// Takes the envelope from a message's headers (RFC 5322 3.6.6): Sender, else From; To + Cc + Bcc — or, when the
/// message was resent, the one Resent block's Resent-Sender/Resent-From and Resent-To + Resent-Cc + Resent-Bcc.
/// </summary>
internal static class HeaderEnvelope
{
    private static readonly HeaderId[] _recipientIds = { HeaderId.To, HeaderId.Cc, HeaderId.Bcc };
    private static readonly HeaderId[] _resentRecipientIds =
    {
        HeaderId.ResentTo, HeaderId.ResentCc, HeaderId.ResentBcc,
    };

    /// <summary>
    /// Whether the envelope can be read from the message's address lists (see <see cref="Sender"/>): the
    /// message was built here, so its From, To, Cc and Bcc headers were written from those lists, and no extra
    /// header (-Header) added a Sender or a Resent block, which only the headers hold.
    /// </summary>
    public static bool CanReadFromLists(HeaderList headers) =>
        !headers.Any(h => h.Id == HeaderId.Sender || h.Field.StartsWith("Resent-", StringComparison.OrdinalIgnoreCase));

    /// <summary>The mailbox for MAIL FROM, as an addr-spec.</summary>
    /// <param name="message">The message.</param>
    /// <param name="fromLists">
    /// Read MimeKit's address lists rather than parse the header text back (which is most of an envelope's cost):
    /// only when <see cref="CanReadFromLists"/> said so for a message built here.
    /// </param>
    public static string Sender(MimeMessage message, bool fromLists)
    {
        if (fromLists) return Sender(message.From);
        var resent = IsResent(message.Headers);
        var senderId = resent ? HeaderId.ResentSender : HeaderId.Sender;
        var fromId = resent ? HeaderId.ResentFrom : HeaderId.From;
        var id = message.Headers.Contains(senderId) ? senderId : fromId;
        return OneMailbox(Mailboxes(message.Headers, id), id.ToHeaderName());
    }

    /// <summary>The MAIL FROM of a message built here: its From list's one mailbox.</summary>
    public static string Sender(InternetAddressList from) =>
        from.Count == 1 && from[0] is MailboxAddress mailbox
            ? Addresses.ToEnvelopeAddress(mailbox, "From")
            : OneMailbox(from.Mailboxes, "From");

    /// <summary>
    /// The mailboxes for RCPT TO, groups expanded, in header order (duplicates are removed by the caller).
    /// </summary>
    public static IEnumerable<string> Recipients(MimeMessage message, bool fromLists)
    {
        if (fromLists) return Recipients(message.To, message.Cc, message.Bcc);
        var ids = IsResent(message.Headers) ? _resentRecipientIds : _recipientIds;
        return ids.SelectMany(id =>
            Mailboxes(message.Headers, id).Select(m => Addresses.ToEnvelopeAddress(m, id.ToHeaderName())));
    }

    /// <summary>
    /// The RCPT TO addresses of a message built here, from its address lists; a loop rather than a query, as this
    /// runs for every message sent.
    /// </summary>
    public static List<string> Recipients(InternetAddressList to, InternetAddressList cc, InternetAddressList bcc)
    {
        var recipients = new List<string>(to.Count + cc.Count + bcc.Count);
        AddRecipients(recipients, to, "To");
        AddRecipients(recipients, cc, "Cc");
        AddRecipients(recipients, bcc, "Bcc");
        return recipients;
    }

    private static void AddRecipients(List<string> recipients, InternetAddressList list, string header)
    {
        foreach (var address in list)
        {
            if (address is MailboxAddress mailbox) recipients.Add(Addresses.ToEnvelopeAddress(mailbox, header));
            else if (address is GroupAddress group) AddRecipients(recipients, group.Members, header);
        }
    }

    private static string OneMailbox(IEnumerable<MailboxAddress> mailboxes, string header)
    {
        var all = mailboxes.ToList();
        if (all.Count != 1)
        {
            throw new SmtpArgumentException(
                $"The envelope sender is taken from the {header} header, which must hold exactly one mailbox (it " +
                    $"holds {all.Count}); give the sender explicitly.",
                "Sender");
        }

        return Addresses.ToEnvelopeAddress(all[0], header);
    }

    /// <summary>
    /// A Resent block is a run of adjacent Resent-* fields (each field at most once per block: a repeat starts the
    /// next block). Zero blocks: use the original headers; one: use it; more: which one applies is ambiguous.
    /// </summary>
    private static bool IsResent(HeaderList headers)
    {
        var blocks = 0;
        HashSet<string>? currentBlock = null;
        foreach (var header in headers)
        {
            if (!header.Field.StartsWith("Resent-", StringComparison.OrdinalIgnoreCase))
            {
                currentBlock = null;
                continue;
            }

            if (currentBlock is null || !currentBlock.Add(header.Field))
            {
                blocks++;
                currentBlock = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { header.Field };
            }
        }

        if (blocks > 1)
        {
            throw new SmtpArgumentException(
                $"The message has multiple Resent blocks ({blocks}): the envelope cannot be taken from its headers; " +
                    $"give the sender and recipients explicitly.",
                "Message");
        }

        return blocks == 1;
    }

    /// <summary>
    /// Every mailbox in every header with this id; an unparsable header is an error, not an empty list.
    /// </summary>
    private static IEnumerable<MailboxAddress> Mailboxes(HeaderList headers, HeaderId id)
    {
        foreach (var header in headers)
        {
            // The raw bytes, not Value: Value decodes the header and keeps the text in it, which would change the
            // message on its first send.
            if (header.Id != id || IsBlank(header.RawValue)) continue;
            if (!InternetAddressList.TryParse(MimeOptions.Lenient, header.RawValue, out var list))
                throw new SmtpArgumentException($"The {header.Field} header holds no valid address: '{header.Value}'.",
                    header.Field);
            foreach (var mailbox in list.Mailboxes) yield return mailbox;
        }
    }

    private static bool IsBlank(byte[] rawValue)
    {
        foreach (var b in rawValue)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }
}
