namespace AsyncSmtp.Client;

/// <summary>
/// One line of the protocol log. AUTH secrets are already replaced by "********"; a body is logged as its size.
/// </summary>
public sealed class SmtpLogEntry
{
    /// <summary>
    /// A log line: <paramref name="text"/> (secrets already masked) going <paramref name="direction"/> at <paramref
    /// name="timestamp"/>.
    /// </summary>
    public SmtpLogEntry(SmtpLogDirection direction, string text, bool isEncrypted, DateTimeOffset timestamp)
    {
        Direction = direction;
        Text = text;
        IsEncrypted = isEncrypted;
        Timestamp = timestamp;
    }

    /// <summary>Who spoke: the client, the server, or the client's own note (a connect, a TLS upgrade).</summary>
    public SmtpLogDirection Direction { get; }

    /// <summary>
    /// The line without its CRLF; AUTH secrets replaced by asterisks, a message body given as its size.
    /// </summary>
    public string Text { get; }

    /// <summary>Whether the line went over TLS, to see from a log what an eavesdropper could have read.</summary>
    public bool IsEncrypted { get; }

    /// <summary>When the line was written or read, for timing a slow server.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The entry as a protocol log shows it: "C: EHLO ...", "S: 250 ..." or "* ..." for a note.</summary>
    public override string ToString() => Direction switch
    {
        SmtpLogDirection.Client => "C: " + Text,
        SmtpLogDirection.Server => "S: " + Text,
        _ => "* " + Text,
    };
}
