namespace AsyncSmtp.Commands;

/// <summary>-TimeoutSec as every cmdlet takes it: seconds, 0 waiting forever, checked before anything starts.</summary>
internal static class TimeoutSeconds
{
    /// <summary>
    /// The longest timeout that can be armed: int.MaxValue milliseconds (24.8 days), what .NET Framework's timers
    /// take (Windows PowerShell 5.1). Longer is refused rather than made infinite: a typo should not mean forever.
    /// </summary>
    public const int Max = int.MaxValue / 1000;

    /// <summary>The usage error for a value out of range; null when it can be used.</summary>
    public static string? Problem(int seconds) => seconds is < 0 or > Max
        ? $"-TimeoutSec {seconds} is out of range: give 1 to {Max} seconds, or 0 for no timeout."
        : null;

    public static TimeSpan ToTimeSpan(int seconds) =>
        seconds == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);
}
