namespace AsyncSmtp.TestServer;

/// <summary>
/// Random misbehaviour for soak tests: drops at each stage, deferrals, throttling and delays, drawn from
/// one seeded generator so that a run's mix of faults is the same every time (the order in which
/// concurrent connections draw from it is not). Probabilities are per event, between 0 and 1; rules
/// scripted with <see cref="SmtpTestServer.On"/> take precedence. What happened to each message is in
/// <see cref="SmtpTestServer.Ledger"/>.
/// </summary>
public sealed class SmtpFaultPlan
{
    private readonly object _gate = new();
    private readonly Random _random;

    public SmtpFaultPlan(int seed) => _random = new Random(seed);

    /// <summary>A new connection is greeted with "421 4.3.2 Too many connections" and closed.</summary>
    public double ThrottleAtGreeting { get; set; }

    /// <summary>The connection closes instead of answering MAIL.</summary>
    public double DropAtMail { get; set; }

    /// <summary>MAIL is answered "451 4.3.0" (the transaction does not start).</summary>
    public double DeferAtMail { get; set; }

    /// <summary>A RCPT is answered "450 4.2.0" (that recipient is left out; greylisting).</summary>
    public double DeferAtRcpt { get; set; }

    /// <summary>The connection closes instead of answering DATA (after the recipients were accepted).</summary>
    public double DropAtData { get; set; }

    /// <summary>After 354, the message's header lines are read and the connection closes: a drop mid-body.</summary>
    public double DropMidBody { get; set; }

    /// <summary>The whole message arrives and the connection closes without a reply; the message is not kept.</summary>
    public double DropAfterDot { get; set; }

    /// <summary>The whole message arrives and is kept, then the connection closes before the 250 goes out.</summary>
    public double AcceptThenDrop { get; set; }

    /// <summary>The end of data is answered "451 4.3.0" (the message is not kept).</summary>
    public double DeferAtEndOfData { get; set; }

    /// <summary>Probability that a reply waits up to <see cref="MaxDelayMilliseconds"/> before going out.</summary>
    public double Delay { get; set; }

    public int MaxDelayMilliseconds { get; set; } = 20;

    /// <summary>Draws once: true with probability <paramref name="probability"/>.</summary>
    internal bool Happens(double probability)
    {
        if (probability <= 0) return false;
        lock (_gate) return _random.NextDouble() < probability;
    }

    /// <summary>A delay for this reply, or 0.</summary>
    internal int NextDelay()
    {
        if (!Happens(Delay)) return 0;
        lock (_gate) return _random.Next(1, Math.Max(2, MaxDelayMilliseconds + 1));
    }
}
