using System.Collections;
using System.Text;

namespace AsyncSmtp.Commands;

/// <summary>
/// -RawMessage: a string (sent as UTF-8), byte[] or lines of text, sent as given — the engine
/// normalises line endings and dot-stuffs as it writes.
/// </summary>
internal static class RawMessageContent
{
    /// <summary>The bytes of the raw message, or null when the value is of a kind that cannot be a message.</summary>
    public static byte[]? ToBytes(object? value) => PSObjectValue.Unwrap(value) switch
    {
        byte[] bytes => bytes,
        string text => Encoding.UTF8.GetBytes(text),
        IEnumerable lines and not IDictionary => JoinLines(lines),
        _ => null,
    };

    private static byte[]? JoinLines(IEnumerable lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            if (PSObjectValue.Unwrap(line) is not string s) return null;
            text.Append(s).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The Message-ID header's value without angle brackets, found by a scan of the header section.</summary>
    public static string? FindMessageId(byte[] message)
    {
        const string MessageIdField = "message-id:";
        int lineStart = 0;
        while (lineStart < message.Length)
        {
            int lineEnd = Array.IndexOf(message, (byte)'\n', lineStart);
            if (lineEnd < 0) lineEnd = message.Length;
            int length = lineEnd - lineStart;
            if (length > 0 && message[lineEnd - 1] == '\r') length--;
            if (length == 0) return null; // the blank line: end of the headers
            if (length > MessageIdField.Length && StartsWithIgnoreCase(message, lineStart, MessageIdField))
            {
                int start = lineStart + MessageIdField.Length;
                string value = Encoding.UTF8.GetString(message, start, length - MessageIdField.Length).Trim();
                if (value.Length == 0) value = NextFoldedLine(message, lineEnd + 1);
                return value.Trim().TrimStart('<').TrimEnd('>');
            }
            lineStart = lineEnd + 1;
        }
        return null;
    }

    private static string NextFoldedLine(byte[] message, int start)
    {
        if (start >= message.Length || (message[start] != ' ' && message[start] != '\t')) return string.Empty;
        int end = Array.IndexOf(message, (byte)'\n', start);
        if (end < 0) end = message.Length;
        return Encoding.UTF8.GetString(message, start, end - start).Trim();
    }

    private static bool StartsWithIgnoreCase(byte[] data, int offset, string lowerAscii)
    {
        for (int i = 0; i < lowerAscii.Length; i++)
        {
            int b = data[offset + i];
            if (b >= 'A' && b <= 'Z') b += 32;
            if (b != lowerAscii[i]) return false;
        }
        return true;
    }
}
