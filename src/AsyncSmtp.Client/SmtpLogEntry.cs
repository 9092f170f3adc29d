namespace AsyncSmtp.Client;

/// <summary>One line of the protocol log. AUTH secrets are already replaced by "********"; a body is logged as its size.</summary>
public sealed class SmtpLogEntry
{
    public SmtpLogEntry(SmtpLogDirection direction, string text, bool isEncrypted, DateTimeOffset timestamp)
    {
        Direction = direction;
        Text = text;
        IsEncrypted = isEncrypted;
        Timestamp = timestamp;
    }

    public SmtpLogDirection Direction { get; }

    public string Text { get; }

    public bool IsEncrypted { get; }

    public DateTimeOffset Timestamp { get; }

    public override string ToString() => Direction switch
    {
        SmtpLogDirection.Client => "C: " + Text,
        SmtpLogDirection.Server => "S: " + Text,
        _ => "* " + Text,
    };
}
