using AsyncSmtp.Client.Delivery;

namespace AsyncSmtp.Commands;

/// <summary>
/// Send-SmtpMessage's delivery parameters, checked: -MaxRetry, -RetryDelaySec, -ThrottleLimit,
/// -MaxMessagesPerMinute and -JournalPath (already resolved against the current location).
/// </summary>
internal sealed class DeliverySettings
{
    public int MaxRetry { get; set; }

    public double RetryDelaySec { get; set; } = 5;

    public int ThrottleLimit { get; set; } = 1;

    public int? MaxMessagesPerMinute { get; set; }

    public string? JournalPath { get; set; }

    /// <summary>What is wrong with the values, as (message, parameter name); null when nothing is.</summary>
    public (string Message, string Parameter)? Problem()
    {
        if (MaxRetry < 0) return ($"-MaxRetry {MaxRetry} is out of range: give 0 or more.", "MaxRetry");
        if (double.IsNaN(RetryDelaySec) || RetryDelaySec < 0 || RetryDelaySec > RetryPolicy.MaxDelay.TotalSeconds)
        {
            double most = RetryPolicy.MaxDelay.TotalSeconds;
            return ($"-RetryDelaySec {RetryDelaySec} is out of range: give 0 to {most} seconds.", "RetryDelaySec");
        }
        if (ThrottleLimit < 1)
            return ($"-ThrottleLimit {ThrottleLimit} is out of range: give 1 or more.", "ThrottleLimit");
        if (MaxMessagesPerMinute < 1)
            return ($"-MaxMessagesPerMinute {MaxMessagesPerMinute} is out of range: give 1 or more.",
                "MaxMessagesPerMinute");
        if (JournalPath is not null && Directory.Exists(JournalPath))
            return ($"-JournalPath '{JournalPath}' is a directory: give a file.", "JournalPath");
        return null;
    }

    /// <summary>The journal, opened (or created), or null without -JournalPath.</summary>
    public DeliveryJournal? OpenJournal() => JournalPath is null ? null : DeliveryJournal.Open(JournalPath);

    public SmtpDeliveryOptions ToOptions(DeliveryJournal? journal) => new()
    {
        MaxRetry = MaxRetry,
        RetryDelay = TimeSpan.FromSeconds(RetryDelaySec),
        MaxConnections = ThrottleLimit,
        MaxMessagesPerMinute = MaxMessagesPerMinute,
        Journal = journal,
    };
}
