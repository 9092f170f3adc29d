namespace AsyncSmtp.Client;

/// <summary>Who a protocol-log line is from.</summary>
public enum SmtpLogDirection
{
    /// <summary>A command line the client wrote ("C:").</summary>
    Client,

    /// <summary>A reply line the server sent ("S:").</summary>
    Server,

    /// <summary>A note of the client's: connecting, TLS established, body size.</summary>
    Info,
}
