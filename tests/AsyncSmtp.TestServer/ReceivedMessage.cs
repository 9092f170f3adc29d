using System.Text;

namespace AsyncSmtp.TestServer;

/// <summary>One message the server accepted (its end-of-message reply was 2xx).</summary>
public sealed class ReceivedMessage
{
    internal ReceivedMessage(
        string queueId,
        int sessionId,
        MailTransaction transaction,
        byte[] data,
        byte[] rawData,
        bool viaBdat,
        bool isEncrypted,
        string? authenticatedUser,
        string? clientName)
    {
        QueueId = queueId;
        SessionId = sessionId;
        Sender = transaction.Sender;
        MailParameters = transaction.MailParameters.ToArray();
        Recipients = transaction.Recipients.ToArray();
        RecipientParameters = transaction.RecipientParameters.ToDictionary(
            pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        Data = data;
        RawData = rawData;
        ViaBdat = viaBdat;
        IsEncrypted = isEncrypted;
        AuthenticatedUser = authenticatedUser;
        ClientName = clientName;
        ReceivedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The id given in "250 2.0.0 Ok: queued as &lt;id&gt;".</summary>
    public string QueueId { get; }

    /// <summary>The <see cref="SessionRecord.Id"/> of the connection that sent it.</summary>
    public int SessionId { get; }

    /// <summary>The MAIL FROM address without angle brackets; empty for the null sender &lt;&gt;.</summary>
    public string Sender { get; }

    /// <summary>The RCPT TO addresses accepted, in order, without angle brackets.</summary>
    public IReadOnlyList<string> Recipients { get; }

    /// <summary>The MAIL FROM parameters as sent, e.g. "SIZE=123", "BODY=8BITMIME", "SMTPUTF8".</summary>
    public IReadOnlyList<string> MailParameters { get; }

    /// <summary>The RCPT TO parameters per recipient (e.g. "NOTIFY=SUCCESS,FAILURE"); recipients without any are absent.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RecipientParameters { get; }

    /// <summary>
    /// The message bytes: for DATA the section with dot-stuffing undone and the final "." line removed
    /// (the CRLF ending the last line is kept), for BDAT the chunks joined, so both give the same bytes.
    /// </summary>
    public byte[] Data { get; }

    /// <summary>
    /// For DATA, the bytes exactly as on the wire between the 354 reply and the final "." (still
    /// dot-stuffed, ending with the CRLF before the "."); for BDAT the same as <see cref="Data"/>.
    /// </summary>
    public byte[] RawData { get; }

    /// <summary>Sent with BDAT (CHUNKING) rather than DATA.</summary>
    public bool ViaBdat { get; }

    /// <summary>Received over TLS (STARTTLS or implicit).</summary>
    public bool IsEncrypted { get; }

    /// <summary>The user the session had authenticated as, or null.</summary>
    public string? AuthenticatedUser { get; }

    /// <summary>The name the client gave in EHLO/HELO.</summary>
    public string? ClientName { get; }

    /// <summary>When the server accepted it.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary><see cref="Data"/> decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Data);

    /// <inheritdoc/>
    public override string ToString() => $"{QueueId} from <{Sender}> to {string.Join(", ", Recipients.Select(r => $"<{r}>"))}, {Data.Length} bytes";
}
