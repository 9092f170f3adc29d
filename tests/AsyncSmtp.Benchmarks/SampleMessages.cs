using System.Text;
using AsyncSmtp.Mime;
using MimeKit;
using MimeKit.IO;
using MailMessage = System.Net.Mail.MailMessage;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// The one message every client sends: same addresses, subject pattern and plain-text body, built as the
/// object each client takes (MimeMessage, SmtpMessage, MailMessage). Only building is done here, untimed.
/// </summary>
internal static class SampleMessages
{
    public const string SenderAddress = "sender@example.test";
    public const string RecipientAddress = "rcpt@example.test";
    private const string SenderName = "Bench Sender";
    private const string RecipientName = "Bench Recipient";

    /// <summary>With the headers, a message of about 2 KB on the wire.</summary>
    public const int DefaultBodyBytes = 1700;

    /// <summary>A body of about <paramref name="bytes"/> bytes in 70-character ASCII lines (no dot at a line start).</summary>
    public static string Body(int bytes)
    {
        var text = new StringBuilder(bytes + 80);
        for (int line = 1; text.Length < bytes; line++)
            text.Append("Line ").Append(line.ToString("D4")).Append(": the quick brown fox jumps over the lazy dog 0123456789\r\n");
        return text.ToString();
    }

    public static string Subject(int index) => $"Benchmark message {index}";

    public static MimeMessage Mime(int index, string body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(SenderName, SenderAddress));
        message.To.Add(new MailboxAddress(RecipientName, RecipientAddress));
        message.Subject = Subject(index);
        message.Date = DateTimeOffset.Now;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("bench.example.test");
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    public static SmtpMessageSpec Spec(int index, string body) => new()
    {
        From = $"{SenderName} <{SenderAddress}>",
        To = new[] { $"{RecipientName} <{RecipientAddress}>" },
        Subject = Subject(index),
        Body = body,
    };

    public static MailMessage MailMessage(int index, string body) =>
        new(new System.Net.Mail.MailAddress(SenderAddress, SenderName), new System.Net.Mail.MailAddress(RecipientAddress, RecipientName))
        {
            Subject = Subject(index),
            Body = body,
        };

    /// <summary>A message with one attachment read from <paramref name="path"/> when serialised (streamed, never loaded whole).</summary>
    public static MimeMessage MimeWithAttachment(string path)
    {
        var message = Mime(0, string.Empty);
        var text = new TextPart("plain") { Text = "The attachment follows.\r\n" };
        var attachment = new MimePart("application", "octet-stream")
        {
            Content = new MimeContent(File.OpenRead(path)),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = Path.GetFileName(path),
        };
        message.Body = new Multipart("mixed") { text, attachment };
        return message;
    }

    /// <summary>Bytes on the wire before dot-stuffing, as MailKit and the engine serialise it.</summary>
    public static long WireSize(MimeMessage message)
    {
        using var measuring = new MeasuringStream();
        message.WriteTo(MimeFormat.Transmit, measuring);
        return measuring.Length;
    }
}
