namespace AsyncSmtp.Client;

/// <summary>The message is larger than the SIZE limit the server announced; nothing was sent.</summary>
public sealed class SmtpMessageTooLargeException : SmtpCommandException
{
    public SmtpMessageTooLargeException(long size, long limit)
        : base($"The message is {size} bytes; the server accepts at most {limit}.")
    {
        Size = size;
        Limit = limit;
    }

    public long Size { get; }

    public long Limit { get; }
}
