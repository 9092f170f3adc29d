namespace AsyncSmtp.Client.Delivery;

/// <summary>The time source of retries and pacing; tests replace it so that no test waits on a real clock.</summary>
internal class DeliveryClock
{
    public static readonly DeliveryClock System = new();

    public virtual DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

    public virtual Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, cancellationToken);
}
