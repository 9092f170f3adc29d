using System.Text;
using MimeKit;

namespace AsyncSmtp.Mime.Tests;

public class ContentTests
{
    private static SmtpMessage Message() => SmtpMessageFactory.Create(new SmtpMessageSpec
    {
        From = "Alice <alice@example.com>",
        To = new[] { "bob@example.com" },
        Bcc = new[] { "Secret Sam <sam@example.com>" },
        Subject = "Report",
        Body = "See below.",
    });

    [Fact]
    public async Task Bcc_is_never_transmitted()
    {
        var sent = await Sent.ContentOf(Message());

        Assert.DoesNotContain("Bcc", sent.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sam@example.com", sent.Text);
        Assert.Empty(sent.Message.Bcc);
    }

    [Fact]
    public async Task Resent_Bcc_is_never_transmitted()
    {
        var message = SmtpMessageFactory.Parse(
            "Resent-Date: Tue, 01 Jul 2025 10:00:00 +0000\r\nResent-From: fwd@example.org\r\nResent-To: new@example.org\r\nResent-Bcc: hidden@example.org\r\n" +
            "From: a@example.com\r\nTo: b@example.com\r\nBcc: alsohidden@example.com\r\n\r\nbody\r\n");
        var sent = await Sent.ContentOf(message);

        Assert.DoesNotContain("hidden@example.org", sent.Text);
        Assert.DoesNotContain("alsohidden@example.com", sent.Text);
        Assert.Contains("Resent-To: new@example.org\r\n", sent.Text);
        Assert.Contains("hidden@example.org", message.CreateEnvelope().Recipients.Select(r => r.Address));
    }

    [Fact]
    public void Save_keeps_Bcc_and_overwrites_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("draft.eml", new string('x', 100_000));
        var message = Message();

        message.Save(path);

        var saved = MimeMessage.Load(path);
        Assert.Equal("sam@example.com", saved.Bcc.Mailboxes.Single().Address);
        Assert.Equal("Secret Sam", saved.Bcc.Mailboxes.Single().Name);
        Assert.Equal(message.MessageId, saved.MessageId);
        Assert.True(new FileInfo(path).Length < 100_000, "the old, longer content was replaced");
        Assert.Equal(message.MessageId, SmtpMessageFactory.Load(path).MessageId);
    }

    [Fact]
    public async Task Length_and_Size_equal_the_bytes_written()
    {
        var message = Message();
        var sent = await Sent.ContentOf(message);

        Assert.Equal(sent.Bytes.Length, sent.AnnouncedLength);
        Assert.Equal(sent.Bytes.Length, message.Size);
    }

    [Fact]
    public async Task Length_is_exact_for_a_utf8_multipart_message_with_attachments()
    {
        using var dir = new TempDirectory();
        var message = SmtpMessageFactory.Create(new SmtpMessageSpec
        {
            From = "Jörg <jörg@bücher.example>",
            To = new[] { "Ünïcødé <u@example.com>" },
            Subject = "Größe 📎",
            Body = "Ä\nB\r\nC",
            HtmlBody = "<p>Ä</p>",
            Attachments = new[] { dir.File("a.bin", Enumerable.Range(0, 70_001).Select(i => (byte)i).ToArray()), dir.File("ü.txt", "text\n") },
        });
        var sent = await Sent.ContentOf(message);

        Assert.Equal(sent.Bytes.Length, sent.AnnouncedLength);
        Assert.Equal(sent.Bytes.Length, message.Size);
    }

    [Fact]
    public async Task Content_can_be_written_again_with_the_same_bytes()
    {
        using var dir = new TempDirectory();
        var message = SmtpMessageFactory.Create(new SmtpMessageSpec
        {
            From = "a@example.com",
            To = new[] { "b@example.com" },
            Attachments = new[] { dir.File("data.bin", new byte[5000]) },
        });

        var first = await Sent.ContentOf(message);
        var second = await Sent.ContentOf(message);

        Assert.Equal(first.Bytes, second.Bytes);
    }

    [Fact]
    public async Task Concurrent_sends_of_one_message_do_not_interleave()
    {
        using var dir = new TempDirectory();
        var data = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        var message = SmtpMessageFactory.Create(new SmtpMessageSpec
        {
            From = "a@example.com",
            To = new[] { "b@example.com" },
            Attachments = new[] { dir.File("data.bin", data) },
        });

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Sent.ContentOf(message))));

        Assert.All(results, r => Assert.Equal(results[0].Bytes, r.Bytes));
        Assert.Equal(data, Decoded((MimePart)results[0].Message.Attachments.Single()));
    }

    [Fact]
    public async Task Writing_honours_cancellation()
    {
        var content = Message().CreateContent();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => content.WriteToAsync(new MemoryStream(), cancelled.Token));
    }

    [Fact]
    public void ToString_is_readable()
    {
        Assert.Equal("\"Report\" from Alice <alice@example.com> to bob@example.com, Secret Sam <sam@example.com>", Message().ToString());
    }

    internal static byte[] Decoded(MimePart part)
    {
        using var buffer = new MemoryStream();
        Assert.IsType<MimeContent>(part.Content).DecodeTo(buffer);
        return buffer.ToArray();
    }
}
