namespace AsyncSmtp.Client.Delivery;

/// <summary>Where a message stands, as a result and as a line of the delivery journal.</summary>
public enum DeliveryStatus
{
    /// <summary>The server gave its final 2xx reply: it has the message (for the recipients it accepted).</summary>
    Accepted,

    /// <summary>
    /// The whole message was written and no final reply came: the server may have it. Never sent again
    /// automatically. In the journal, also the state of a message whose end of data is about to be written.
    /// </summary>
    Uncertain,

    /// <summary>Refused for good, or still deferred after the last attempt: the server does not have it.</summary>
    Failed,

    /// <summary>
    /// Journal only: some recipients deferred, a retry pending; the recipients listed already have it.
    /// </summary>
    Deferred,

    /// <summary>Not sent because the journal records it as accepted or uncertain from an earlier run.</summary>
    Skipped,
}
