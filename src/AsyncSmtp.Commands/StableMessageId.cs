using System.Security.Cryptography;
using System.Text;
using AsyncSmtp.Client;

namespace AsyncSmtp.Commands;

/// <summary>
/// The delivery journal knows messages by Message-Id. A message without one (a raw message or an .eml file that
/// has none) gets one before its first attempt: the same in every run, a hash of its envelope and content, so a
/// rerun of the same command recognises it. It goes out as a Message-ID header line in front of the message.
/// </summary>
internal static class StableMessageId
{
    public static OutgoingMessage Ensure(OutgoingMessage message)
    {
        if (!string.IsNullOrEmpty(message.MessageId)) return message;
        string id = $"{Hash(message)}@{DomainOf(message.Envelope.Sender)}";
        byte[] header = Encoding.ASCII.GetBytes($"Message-ID: <{id}>\r\n");
        var original = message.Content;
        var content = SmtpContent.FromMeasuredWriter(async (stream, cancellationToken) =>
        {
            await stream.WriteAsync(header, 0, header.Length, cancellationToken).ConfigureAwait(false);
            await original.WriteToAsync(stream, cancellationToken).ConfigureAwait(false);
        }, () => original.Length + header.Length);
        return message.WithMessageId(id, content);
    }

    private static string Hash(OutgoingMessage message)
    {
        using var sha = SHA256.Create();
        using (var sink = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write))
        {
            var envelope = message.Envelope;
            byte[] head = Encoding.UTF8.GetBytes(
                envelope.Sender + "\n" + string.Join("\n", envelope.Recipients.Select(r => r.Address)) + "\n\n");
            sink.Write(head, 0, head.Length);
            // Local content (bytes, a built message, a file): written here, on the pipeline thread, once.
            message.Content.WriteToAsync(sink, CancellationToken.None).GetAwaiter().GetResult();
        }
        var hex = new StringBuilder(32);
        foreach (byte b in sha.Hash!.Take(16))
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        return hex.ToString();
    }

    private static string DomainOf(string sender)
    {
        int at = sender.LastIndexOf('@');
        return at > 0 && at < sender.Length - 1 ? sender.Substring(at + 1) : "asyncsmtp.invalid";
    }
}
