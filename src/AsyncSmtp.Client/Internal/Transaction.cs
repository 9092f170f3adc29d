namespace AsyncSmtp.Client.Internal;

/// <summary>The state of one mail transaction: its command lines and what the server said to each.</summary>
internal sealed class Transaction
{
    private readonly SmtpEnvelope _envelope;
    private readonly List<string> _accepted;
    private readonly List<SmtpRecipientRefusedException> _refused = new();
    private SmtpResponse? _mailReply;

    public Transaction(SmtpEnvelope envelope, string mailLine, string[] rcptLines, bool pipelined)
    {
        _envelope = envelope;
        _accepted = new List<string>(rcptLines.Length);
        MailLine = mailLine;
        RcptLines = rcptLines;
        Pipelined = pipelined;
    }

    public string MailLine { get; }

    public string[] RcptLines { get; }

    public bool Pipelined { get; }

    public SmtpResponse? LastReply { get; private set; }

    public bool HasAcceptedRecipient => _accepted.Count > 0;

    public long BytesSent { get; set; }

    public long MessageSize { get; set; }

    /// <summary>
    /// The message's last write (its end of data), held back when its final reply is deferred, so that
    /// it leaves in one packet with the next commands: a server then answers both in one packet too,
    /// and a server whose replies wait for acknowledgements (Nagle's algorithm) never stalls on them.
    /// </summary>
    public byte[]? HeldTail { get; set; }

    /// <summary>MAIL, every RCPT, and optionally one more command, for a single pipelined write.</summary>
    public IReadOnlyList<string> EnvelopeLines(string? next)
    {
        var lines = new List<string>(RcptLines.Length + 2) { MailLine };
        lines.AddRange(RcptLines);
        if (next is not null) lines.Add(next);
        return lines;
    }

    public void AddMailReply(SmtpResponse reply)
    {
        _mailReply = reply;
        LastReply = reply;
    }

    public void AddRcptReply(int index, SmtpResponse reply)
    {
        LastReply = reply;
        string address = _envelope.Recipients[index].Address;
        if (reply.Code is 250 or 251) _accepted.Add(address);
        else _refused.Add(new SmtpRecipientRefusedException(address, reply));
    }

    /// <summary>Throws when the server has gone, refused the sender, or refused every recipient.</summary>
    public void ThrowIfEnvelopeRefused()
    {
        if (LastReply is { } last && Closing(last) is { } closing) throw closing;
        if (_mailReply is { Code: not 250 } refused) throw new SmtpSenderRefusedException(_envelope.Sender, refused);
        if (_accepted.Count == 0 && _refused.Count == RcptLines.Length) throw new SmtpRecipientsRefusedException(_refused);
    }

    public SmtpTransactionResult Result(SmtpResponse final) => new(final, _accepted, _refused, BytesSent, MessageSize);

    /// <summary>A 421 means the server has gone: the transaction is over whatever the stage.</summary>
    public static SmtpException? Closing(SmtpResponse reply) =>
        reply.Code == 421 ? new SmtpServerDisconnectedException(SmtpException.Describe("The server closed the connection", reply), reply) : null;
}
