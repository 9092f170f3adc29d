namespace AsyncSmtp.Client.Internal;

/// <summary>The state of one mail transaction: its command lines and what the server said to each.</summary>
internal sealed class Transaction
{
    private readonly List<string> _accepted;
    private readonly List<SmtpRecipientRefusedException> _refused = new();
    private SmtpResponse? _mailReply;

    public Transaction(SmtpEnvelope envelope, string mailLine, string[] rcptLines, bool pipelined, bool holdsEndOfData)
    {
        Envelope = envelope;
        _accepted = new List<string>(rcptLines.Length);
        MailLine = mailLine;
        RcptLines = rcptLines;
        Pipelined = pipelined;
        HoldsEndOfData = holdsEndOfData;
    }

    public SmtpEnvelope Envelope { get; }

    public string MailLine { get; }

    public string[] RcptLines { get; }

    public bool Pipelined { get; }

    /// <summary>The message's last write (its end of data) is held back for the next write (a submission).</summary>
    public bool HoldsEndOfData { get; }

    /// <summary>
    /// Runs just before the end of data is written (or handed to the next write when held), after which
    /// the server may have the message: the delivery journal records it as uncertain here.
    /// </summary>
    public Action? BeforeEndOfData { get; set; }

    /// <summary>The held end of data, once the body has been encoded.</summary>
    public ArraySegment<byte>? HeldEndOfData { get; set; }

    /// <summary>The reply to the end of data, when it has been read as part of the transaction.</summary>
    public SmtpResponse? FinalReply { get; set; }

    /// <summary>The sender and at least one recipient were accepted: the body may be sent.</summary>
    public bool EnvelopeAccepted => _mailReply is { Code: 250 } && _accepted.Count > 0;

    public long BytesSent { get; set; }

    public long MessageSize { get; set; }

    /// <summary>MAIL, every RCPT, and optionally one more command, for a single pipelined write.</summary>
    public IReadOnlyList<string> EnvelopeLines(string? next)
    {
        var lines = new List<string>(RcptLines.Length + 2) { MailLine };
        lines.AddRange(RcptLines);
        if (next is not null) lines.Add(next);
        return lines;
    }

    public void AddMailReply(SmtpResponse reply) => _mailReply = reply;

    public void AddRcptReply(int index, SmtpResponse reply)
    {
        string address = Envelope.Recipients[index].Address;
        if (reply.Code is 250 or 251) _accepted.Add(address);
        else _refused.Add(new SmtpRecipientRefusedException(address, reply));
    }

    /// <summary>Throws when the server refused the sender, or every recipient.</summary>
    public void ThrowIfEnvelopeRefused()
    {
        if (_mailReply is { Code: not 250 } refused) throw new SmtpSenderRefusedException(Envelope.Sender, refused);
        if (_accepted.Count == 0 && _refused.Count == RcptLines.Length)
            throw new SmtpRecipientsRefusedException(_refused);
    }

    /// <summary>The message was refused (DATA, a chunk or its end): with the recipients refused before that.</summary>
    public SmtpDataException Refused(SmtpResponse reply) => new(reply, _refused.ToArray());

    public SmtpTransactionResult Result(SmtpResponse final) => new(final, _accepted, _refused, BytesSent, MessageSize);
}
