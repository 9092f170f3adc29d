namespace AsyncSmtp.Client.Delivery;

/// <summary>
/// Which failures may be tried again and when. Only what cannot have delivered the message is retried:
/// a 4xx reply to MAIL, RCPT or the end of data, a 421, or a connection lost or refused before the
/// message's end of data was written. Never a 5xx; never a message whose end of data was written and
/// whose final reply never came (the server may have it).
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>No wait is ever longer, however many attempts came before.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(300);

    private const double Jitter = 0.2;

    private readonly object _gate = new();
    private readonly Random _random;

    /// <summary>
    /// A policy that retries a message at most <paramref name="maxRetry"/> times, first after <paramref
    /// name="firstDelay"/> and doubling; <paramref name="seed"/> fixes the jitter, for tests.
    /// </summary>
    public RetryPolicy(int maxRetry, TimeSpan firstDelay, int? seed = null)
    {
        if (maxRetry < 0) throw new ArgumentOutOfRangeException(nameof(maxRetry), "MaxRetry cannot be negative.");
        if (firstDelay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(firstDelay), "The retry delay cannot be negative.");
        MaxRetry = maxRetry;
        FirstDelay = firstDelay;
        _random = seed is int s ? new Random(s) : new Random();
    }

    /// <summary>No retries.</summary>
    public static RetryPolicy None { get; } = new(0, TimeSpan.Zero);

    /// <summary>How many more attempts a message may have after its first.</summary>
    public int MaxRetry { get; }

    /// <summary>The wait before the first retry; each next one is twice the one before.</summary>
    public TimeSpan FirstDelay { get; }

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the first): doubled each time, ±20 %,
    /// at most 300 s.
    /// </summary>
    public TimeSpan DelayBefore(int retry)
    {
        if (retry < 1) throw new ArgumentOutOfRangeException(nameof(retry));
        double factor;
        lock (_gate) factor = 1 + Jitter * (2 * _random.NextDouble() - 1);
        // Past 2^20 the cap has long been reached; stopping there keeps the arithmetic finite.
        double seconds = FirstDelay.TotalSeconds * Math.Pow(2, Math.Min(retry - 1, 20)) * factor;
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxDelay.TotalSeconds));
    }

    /// <summary>
    /// Whether the failure is transient: trying the same message again later is safe and may succeed.
    /// <paramref name="endOfDataWritten"/> says whether the message's end of data had gone out.
    /// </summary>
    public static bool IsTransient(Exception error, bool endOfDataWritten)
    {
        if (error is null) throw new ArgumentNullException(nameof(error));
        switch (error)
        {
            case SmtpRecipientsRefusedException all:
                return all.Refusals.Any(r => r.Response.IsTransient);
            case SmtpSenderRefusedException or SmtpRecipientRefusedException or SmtpDataException:
                return ((SmtpResponseException)error).Response.IsTransient;
            case SmtpResponseException reply:
                // Only a 421 (the server is closing) is transient at the other stages (EHLO, AUTH...).
                return reply.Code == 421;
            case SmtpTlsException:
                // A certificate or protocol mismatch does not go away by itself.
                return false;
            case SmtpConnectException refused:
                return refused.Response is null || refused.Code == 421;
            case SmtpServerDisconnectedException or SmtpReadTimeoutException:
                // Lost before the end of data: the server cannot have the message. After it: uncertain.
                return !endOfDataWritten || error is SmtpServerDisconnectedException { Code: 421 };
            default:
                return false;
        }
    }

    /// <summary>
    /// A reply that says there are too many connections or too many messages at once (421 at connect,
    /// 4.3.2 "system not accepting messages", 4.7.x throttling): fewer connections, not a failed message.
    /// </summary>
    public static bool IsThrottling(Exception error)
    {
        var reply = (error as SmtpException)?.Response;
        if (reply is null || !reply.IsTransient) return false;
        string enhanced = reply.EnhancedStatusCode ?? string.Empty;
        return enhanced == "4.3.2" || enhanced.StartsWith("4.7.", StringComparison.Ordinal) ||
               (error is SmtpConnectException && reply.Code == 421);
    }
}
