using System.Diagnostics;

namespace AsyncSmtp.Client.Delivery;

/// <summary>
/// One message on its way through <see cref="SmtpDelivery"/>: what is left to send, what happened so far.
/// </summary>
internal sealed class DeliveryWork
{
    /// <summary>Not a message: tells an idle connection to send the end of data it holds.</summary>
    public static readonly DeliveryWork Wake = new();

    private DeliveryWork()
    {
        Envelope = new SmtpEnvelope(string.Empty, Array.Empty<SmtpRecipient>());
        Content = SmtpContent.FromBytes(Array.Empty<byte>());
        MessageId = string.Empty;
        Pending = Envelope;
    }

    public DeliveryWork(int index, SmtpEnvelope envelope, SmtpContent content, string messageId, object? state,
        IReadOnlyCollection<string> alreadyAccepted)
    {
        Index = index;
        Envelope = envelope;
        Content = content;
        MessageId = messageId;
        State = state;
        Accepted.AddRange(alreadyAccepted);
        Pending = alreadyAccepted.Count == 0 ? envelope : Restrict(r => !Contains(alreadyAccepted, r.Address));
    }

    public int Index { get; }

    public SmtpEnvelope Envelope { get; }

    public SmtpContent Content { get; }

    public string MessageId { get; }

    public object? State { get; }

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>The envelope of the next attempt: the recipients that do not have the message yet.</summary>
    public SmtpEnvelope Pending { get; private set; }

    public List<string> Accepted { get; } = new();

    /// <summary>Recipients refused for good (5xx) by any attempt.</summary>
    public List<SmtpRecipientRefusedException> Refused { get; } = new();

    public int Attempts { get; set; }

    /// <summary>The message was handed to a connected server at least once (so it must get an outcome).</summary>
    public bool HandedToServer { get; set; }

    /// <summary>Why the last attempt did not finish the message (null: only some recipients were deferred).</summary>
    public Exception? LastError { get; set; }

    /// <summary>The deferrals of the recipients the next attempt goes to.</summary>
    public List<SmtpRecipientRefusedException> Deferred { get; } = new();

    public SmtpResponse? Response { get; set; }

    public long MessageSize { get; set; }

    /// <summary>The next attempt goes to these recipients only (the ones deferred).</summary>
    public void RetryOnly(IEnumerable<SmtpRecipientRefusedException> deferred)
    {
        Deferred.Clear();
        Deferred.AddRange(deferred);
        var addresses = Deferred.Select(d => d.Recipient).ToList();
        Pending = Restrict(r => Contains(addresses, r.Address));
    }

    private SmtpEnvelope Restrict(Func<SmtpRecipient, bool> keep) =>
        new(Envelope.Sender, Envelope.Recipients.Where(keep))
        {
            Return = Envelope.Return,
            EnvelopeId = Envelope.EnvelopeId,
            RequireSmtpUtf8 = Envelope.RequireSmtpUtf8,
        };

    private static bool Contains(IEnumerable<string> addresses, string address) =>
        addresses.Contains(address, StringComparer.OrdinalIgnoreCase);
}
