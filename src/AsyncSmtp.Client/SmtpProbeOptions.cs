namespace AsyncSmtp.Client;

/// <summary>How far an <see cref="SmtpProbe"/> goes and what it asks. Nothing it does sends a message.</summary>
public sealed class SmtpProbeOptions
{
    /// <summary>
    /// The address a relay probe uses when none is given: a reserved domain no server should accept mail for.
    /// </summary>
    public const string DefaultRelayRecipient = "relay-test@example.invalid";

    /// <summary>Stop (RSET, QUIT) after this stage; null: as far as the other options ask.</summary>
    public SmtpProbeStage? QuitAfter { get; set; }

    /// <summary>The MAIL FROM address of a transaction; null sends the null sender &lt;&gt;.</summary>
    public string? Sender { get; set; }

    /// <summary>Addresses to probe with RCPT TO (then RSET): never DATA.</summary>
    public IReadOnlyList<string> Recipients { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Probe relaying: the transaction runs before any login, and <see cref="Recipients"/> (default
    /// <see cref="DefaultRelayRecipient"/>) are addresses the server should refuse.
    /// </summary>
    public bool TestRelay { get; set; }
}
