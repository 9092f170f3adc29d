using MimeKit.Utils;

namespace AsyncSmtp.Mime;

/// <summary>The Date header's value for now, formatted once a second rather than once a message.</summary>
internal static class DateHeader
{
    private static Formatted? _last;

    public static string Now()
    {
        var now = DateTimeOffset.Now;
        var second = now.UtcTicks / TimeSpan.TicksPerSecond;
        var last = _last;
        if (last is not null && last.Second == second && last.Offset == now.Offset) return last.Text;
        var formatted = new Formatted(second, now.Offset, DateUtils.FormatDate(now));
        _last = formatted;
        return formatted.Text;
    }

    // One object, so that a reader on another thread sees the second and its text together.
    private sealed class Formatted
    {
        public Formatted(long second, TimeSpan offset, string text)
        {
            Second = second;
            Offset = offset;
            Text = text;
        }

        public long Second { get; }

        public TimeSpan Offset { get; }

        public string Text { get; }
    }
}
