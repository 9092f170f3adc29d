namespace AsyncSmtp.Client;

/// <summary>The message is larger than the SIZE limit the server announced; nothing was sent.</summary>
public sealed class SmtpMessageTooLargeException : SmtpCommandException
{
    /// <summary>
    /// Raised before anything is sent when <paramref name="size"/> is over the server's <paramref name="limit"/>,
    /// so no bytes are wasted on a message it would refuse.
    /// </summary>
    public SmtpMessageTooLargeException(long size, long limit)
        : base($"The message is {size} bytes; the server accepts at most {limit}.")
    {
        Size = size;
        Limit = limit;
    }

    /// <summary>The message's size in bytes as SIZE counts it (CRLF line endings, before dot-stuffing).</summary>
    public long Size { get; }

    /// <summary>The largest message the server said it takes, in bytes (its SIZE keyword).</summary>
    public long Limit { get; }
}
