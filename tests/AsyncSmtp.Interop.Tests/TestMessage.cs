using System.Text;

namespace AsyncSmtp.Interop.Tests;

/// <summary>A complete RFC 5322 message with a unique token, as the bytes the client sends.</summary>
public sealed class TestMessage
{
    private TestMessage(string token, byte[] bytes)
    {
        Token = token;
        Bytes = bytes;
    }

    /// <summary>Unique per message; in the Message-ID and the Subject, so the delivered copy can be found.</summary>
    public string Token { get; }

    public byte[] Bytes { get; }

    /// <summary>
    /// Every header a server might otherwise add (Date, Message-ID, From) is present, so postfix
    /// delivers the message unchanged behind the trace headers it prepends.
    /// </summary>
    public static TestMessage Create(string from, string to, string body, string? subject = null, string? extraHeaders = null)
    {
        string token = "interop-" + Guid.NewGuid().ToString("N");
        var text = new StringBuilder()
            .Append("Date: ").Append(DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Message-ID: <").Append(token).Append("@example.test>\r\n")
            .Append("From: ").Append(from).Append("\r\n")
            .Append("To: ").Append(to).Append("\r\n")
            .Append("Subject: ").Append(subject ?? "AsyncSmtp interop").Append(' ').Append(token).Append("\r\n")
            .Append(extraHeaders)
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: 8bit\r\n")
            .Append("\r\n")
            .Append(body);
        return new TestMessage(token, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>A message of about <paramref name="size"/> bytes: numbered 76-character lines.</summary>
    public static TestMessage CreateLarge(string from, string to, int size)
    {
        var body = new StringBuilder(size + 100);
        for (int line = 0; body.Length < size; line++)
            body.Append(line.ToString("D8")).Append(' ').Append('x', 67).Append("\r\n");
        return Create(from, to, body.ToString(), "large");
    }

    /// <summary>The bytes with CRLF turned into LF: how postfix stores a message in a maildir.</summary>
    public static byte[] ToUnixLineEndings(byte[] bytes)
    {
        var result = new List<byte>(bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\r' && i + 1 < bytes.Length && bytes[i + 1] == '\n') continue;
            result.Add(bytes[i]);
        }
        return result.ToArray();
    }
}
