namespace AsyncSmtp.Client.Delivery;

/// <summary>How <see cref="SmtpDelivery"/> sends: retries, connections, pacing, journal.</summary>
public sealed class SmtpDeliveryOptions
{
    /// <summary>How many more attempts a transiently failed message may have (see <see cref="RetryPolicy"/>).</summary>
    public int MaxRetry { get; set; }

    /// <summary>The wait before the first retry; doubled each time, ±20 %, at most 300 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Up to this many connections share the messages; throttling replies lower the number.</summary>
    public int MaxConnections { get; set; } = 1;

    /// <summary>When set, no more submissions a minute than this over all connections.</summary>
    public int? MaxMessagesPerMinute { get; set; }

    /// <summary>Where outcomes are recorded and from which earlier runs' outcomes are read; null for none.</summary>
    public DeliveryJournal? Journal { get; set; }

    /// <summary>
    /// The identifier of a failure in the journal (the cmdlets use their ErrorIds); default its type name.
    /// </summary>
    public Func<Exception, string>? ErrorIdOf { get; set; }

    /// <summary>
    /// The connections belong to the caller (a session kept open across commands): when the delivery is over they
    /// are left connected, their last replies read, instead of being closed with QUIT; a client handed out
    /// connected is used as it is, and a lost one is connected again by the same factory call.
    /// </summary>
    public bool LeaveConnectionsOpen { get; set; }

    /// <summary>
    /// Adapts a message's envelope to the connection it is about to go over (called before each attempt, once
    /// connected), e.g. to leave out DSN parameters the server does not offer; null: envelopes go as they are.
    /// </summary>
    public Func<SmtpClient, SmtpEnvelope, SmtpEnvelope>? AdaptEnvelope { get; set; }

    /// <summary>Seeds the retry jitter, for tests that need the same waits every run.</summary>
    public int? RandomSeed { get; set; }

    internal DeliveryClock Clock { get; set; } = DeliveryClock.System;
}
