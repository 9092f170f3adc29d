namespace AsyncSmtp.Client;

/// <summary>What a completed transaction returned.</summary>
public sealed class SmtpTransactionResult
{
    /// <summary>
    /// The result of a transaction the server accepted, with whom it accepted and refused and how much was sent.
    /// </summary>
    public SmtpTransactionResult(SmtpResponse response, IReadOnlyList<string> acceptedRecipients,
        IReadOnlyList<SmtpRecipientRefusedException> refusedRecipients, long bytesSent, long messageSize)
    {
        MessageSize = messageSize;
        Response = response;
        AcceptedRecipients = acceptedRecipients;
        RefusedRecipients = refusedRecipients;
        BytesSent = bytesSent;
    }

    /// <summary>The final reply to the message (usually carries the server's queue id).</summary>
    public SmtpResponse Response { get; }

    /// <summary>
    /// The recipients the server took the message for; the others are in <see cref="RefusedRecipients"/>.
    /// </summary>
    public IReadOnlyList<string> AcceptedRecipients { get; }

    /// <summary>Recipients the server refused while accepting others, each with its reply.</summary>
    public IReadOnlyList<SmtpRecipientRefusedException> RefusedRecipients { get; }

    /// <summary>Bytes of message content written, after SMTP encoding.</summary>
    public long BytesSent { get; }

    /// <summary>The message's size as SIZE counts it: CRLF line endings, before dot-stuffing.</summary>
    public long MessageSize { get; }
}
