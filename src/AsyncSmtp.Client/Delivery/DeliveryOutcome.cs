namespace AsyncSmtp.Client.Delivery;

/// <summary>
/// The one outcome of one message given to <see cref="SmtpDelivery"/>: accepted (for the recipients
/// listed), failed (the server does not have it), uncertain (the server may have it) or skipped (an
/// earlier run's journal says it was sent).
/// </summary>
public sealed class DeliveryOutcome
{
    internal DeliveryOutcome(int index, string messageId, object? state, DeliveryStatus status)
    {
        Index = index;
        MessageId = messageId;
        State = state;
        Status = status;
    }

    /// <summary>The message's position in the order it was added, from 0; outcomes come out in this order.</summary>
    public int Index { get; }

    /// <summary>The Message-Id the journal knows the message by: how a rerun recognises it.</summary>
    public string MessageId { get; }

    /// <summary>What the caller attached to the message when adding it.</summary>
    public object? State { get; }

    /// <summary>Accepted, Failed, Uncertain or Skipped (never Deferred: that is a journal state).</summary>
    public DeliveryStatus Status { get; }

    /// <summary>The recipients the server accepted, over every attempt.</summary>
    public IReadOnlyList<string> AcceptedRecipients { get; internal set; } = Array.Empty<string>();

    /// <summary>
    /// Recipients refused for good, or still deferred after the last attempt, each with the reply. For a
    /// failed message whose recipients were all refused, <see cref="Error"/> lists them too.
    /// </summary>
    public IReadOnlyList<SmtpRecipientRefusedException> RejectedRecipients { get; internal set; } =
        Array.Empty<SmtpRecipientRefusedException>();

    /// <summary>The final reply to an accepted message (it usually names the server's queue id).</summary>
    public SmtpResponse? Response { get; internal set; }

    /// <summary>Why the message failed or is uncertain; null when accepted or skipped.</summary>
    public Exception? Error { get; internal set; }

    /// <summary>How many times the message was handed to a connection (0 when skipped).</summary>
    public int Attempts { get; internal set; }

    /// <summary>The message size as SIZE counts it, when it was sent.</summary>
    public long MessageSize { get; internal set; }

    /// <summary>From the message being added to its outcome, retries and their waits included.</summary>
    public TimeSpan Elapsed { get; internal set; }
}
