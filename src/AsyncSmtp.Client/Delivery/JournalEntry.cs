using System.Globalization;
using System.Text;

namespace AsyncSmtp.Client.Delivery;

/// <summary>One line of the delivery journal: a message's outcome (or state) as known at <see cref="Time"/>.</summary>
public sealed class JournalEntry
{
    /// <summary>
    /// An entry for the message <paramref name="messageId"/> in <paramref name="status"/>, stamped now.
    /// </summary>
    public JournalEntry(string messageId, DeliveryStatus status, IReadOnlyList<string> recipients)
    {
        MessageId = messageId ?? throw new ArgumentNullException(nameof(messageId));
        Status = status;
        Recipients = recipients ?? throw new ArgumentNullException(nameof(recipients));
    }

    /// <summary>The Message-Id the entry is about; the last entry for an id is that message's outcome.</summary>
    public string MessageId { get; }

    /// <summary>What became of the message; a rerun sends again only what the server cannot have.</summary>
    public DeliveryStatus Status { get; }

    /// <summary>
    /// The recipients that have the message (Accepted, Deferred), or that it is being sent to (Uncertain).
    /// </summary>
    public IReadOnlyList<string> Recipients { get; }

    /// <summary>
    /// The recipients the server refused, each with its reply, so a report can say who did not get it and why.
    /// </summary>
    public IReadOnlyList<SmtpRecipientRefusedException> RejectedRecipients { get; set; } =
        Array.Empty<SmtpRecipientRefusedException>();

    /// <summary>The server's final reply text, when one came.</summary>
    public string? Response { get; set; }

    /// <summary>The caller's error identifier for a failed or uncertain message.</summary>
    public string? ErrorId { get; set; }

    /// <summary>How many times the message was handed to a server, retries included.</summary>
    public int Attempts { get; set; }

    /// <summary>When the outcome was known (UTC), so the journal reads as a history.</summary>
    public DateTimeOffset Time { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The entry as one JSON object on one line (no line break inside: every string is escaped).</summary>
    public string ToJson()
    {
        var json = new StringBuilder(256);
        json.Append("{\"MessageId\":");
        JsonLine.AppendString(json, MessageId);
        json.Append(",\"Status\":");
        JsonLine.AppendString(json, Status.ToString());
        json.Append(",\"Recipients\":[");
        for (int i = 0; i < Recipients.Count; i++)
        {
            if (i > 0) json.Append(',');
            JsonLine.AppendString(json, Recipients[i]);
        }
        json.Append("],\"RejectedRecipients\":[");
        for (int i = 0; i < RejectedRecipients.Count; i++)
        {
            var refused = RejectedRecipients[i];
            json.Append(i > 0 ? ",{\"Address\":" : "{\"Address\":");
            JsonLine.AppendString(json, refused.Recipient);
            json.Append(",\"Code\":").Append(refused.Code.ToString(CultureInfo.InvariantCulture));
            json.Append(",\"EnhancedStatusCode\":");
            JsonLine.AppendString(json, refused.EnhancedStatusCode);
            json.Append(",\"Message\":");
            JsonLine.AppendString(json, refused.ServerMessage);
            json.Append('}');
        }
        json.Append("],\"Response\":");
        JsonLine.AppendString(json, Response);
        json.Append(",\"ErrorId\":");
        JsonLine.AppendString(json, ErrorId);
        json.Append(",\"Attempts\":").Append(Attempts.ToString(CultureInfo.InvariantCulture));
        json.Append(",\"Time\":");
        JsonLine.AppendString(json, Time.ToString("o", CultureInfo.InvariantCulture));
        json.Append('}');
        return json.ToString();
    }

    /// <summary>
    /// Reads back what a rerun needs (id, status, recipients); null for a line that is not a complete entry.
    /// </summary>
    public static JournalEntry? FromJson(string line)
    {
        var members = JsonLine.Parse(line);
        if (members is null) return null;
        if (!members.TryGetValue("MessageId", out var id) || id is not string messageId || messageId.Length == 0)
            return null;
        if (!members.TryGetValue("Status", out var status) || status is not string name ||
            !Enum.TryParse(name, ignoreCase: false, out DeliveryStatus parsed) ||
            !Enum.IsDefined(typeof(DeliveryStatus), parsed))
            return null;
        var recipients = members.TryGetValue("Recipients", out var list) && list is List<string> items
            ? items
            : new List<string>();
        return new JournalEntry(messageId, parsed, recipients);
    }
}
