using System.Globalization;
using System.Text;

namespace AsyncSmtp.TestServer;

/// <summary>Builds SMTP reply lines and reads their codes back.</summary>
internal static class ReplyText
{
    /// <summary>Splits text on LF (dropping a CR before it) so callers may pass "a\r\nb" or separate lines.</summary>
    public static IEnumerable<string> SplitLines(string text)
    {
        var body = text.EndsWith('\n') ? text[..^1] : text;
        return body.Split('\n').Select(line => line.EndsWith('\r') ? line[..^1] : line);
    }

    /// <summary>"code-line" for every line but the last, "code line" for the last.</summary>
    public static IReadOnlyList<string> Format(int code, IReadOnlyList<string> lines)
    {
        if (code is < 100 or > 999)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "A reply code has three digits.");
        }

        if (lines.Count == 0)
        {
            return new[] { code.ToString(CultureInfo.InvariantCulture) };
        }

        return lines.Select((line, i) => $"{code}{(i == lines.Count - 1 ? ' ' : '-')}{line}").ToArray();
    }

    /// <summary>The three-digit code a reply line starts with, or null when it has none.</summary>
    public static int? CodeOf(string line) =>
        line.Length >= 3 && char.IsAsciiDigit(line[0]) && char.IsAsciiDigit(line[1]) && char.IsAsciiDigit(line[2])
        && (line.Length == 3 || line[3] is ' ' or '-')
            ? (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0')
            : null;

    public static byte[] ToWire(IEnumerable<string> lines)
    {
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            builder.Append(line).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
