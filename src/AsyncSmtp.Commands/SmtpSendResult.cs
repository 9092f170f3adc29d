using AsyncSmtp.Client.Delivery;

namespace AsyncSmtp;

/// <summary>
/// What Send-SmtpMessage returns for each message the server accepted, or (with -JournalPath) skipped because an
/// earlier run's journal records it as accepted or possibly accepted.
/// </summary>
public sealed class SmtpSendResult
{
    internal SmtpSendResult(string? messageId, string sender, string[] recipients,
        IReadOnlyList<SmtpRejectedRecipient> rejectedRecipients,
        string response, string smtpServer, int port, long size, TimeSpan elapsed,
        DeliveryStatus status = DeliveryStatus.Accepted, int attempts = 1)
    {
        Status = status;
        Attempts = attempts;
        MessageId = messageId;
        Sender = sender;
        Recipients = recipients;
        RejectedRecipients = rejectedRecipients;
        Response = response;
        SmtpServer = smtpServer;
        Port = port;
        Size = size;
        Elapsed = elapsed;
    }

    /// <summary>The Message-ID header, when the message has one.</summary>
    public string? MessageId { get; }

    /// <summary>The envelope sender (MAIL FROM).</summary>
    public string Sender { get; }

    /// <summary>The recipients the server accepted.</summary>
    public string[] Recipients { get; }

    /// <summary>
    /// The recipients the server refused while accepting others. A list, not an array: PowerShell
    /// arrays have an Address() method that would hide member enumeration of $r.RejectedRecipients.Address.
    /// </summary>
    public IReadOnlyList<SmtpRejectedRecipient> RejectedRecipients { get; }

    /// <summary>The server's final reply text, usually with its queue id.</summary>
    public string Response { get; }

    public string SmtpServer { get; }

    public int Port { get; }

    /// <summary>The message size in bytes.</summary>
    public long Size { get; }

    /// <summary>Time taken by the transaction (not the connection); with retries, from the first attempt on.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>
    /// Accepted (the server gave its final 2xx reply), or Skipped: not sent, because the -JournalPath journal
    /// records it from an earlier run as Accepted or Uncertain.
    /// </summary>
    public DeliveryStatus Status { get; }

    /// <summary>How many times the message was handed to a connection (retries included; 0 when skipped).</summary>
    public int Attempts { get; }
}
