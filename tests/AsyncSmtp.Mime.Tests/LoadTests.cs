using System.Text;
using AsyncSmtp.Client;
using MimeKit;

namespace AsyncSmtp.Mime.Tests;

public sealed class LoadTests : IDisposable
{
    private const string Eml =
        "From: Alice <alice@example.com>\r\n" +
        "To: bob@example.com, Carol <carol@example.com>\r\n" +
        "Cc: cc@example.com\r\n" +
        "Bcc: hidden@example.com\r\n" +
        "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n" +
        "Message-ID: <eml-1@example.com>\r\n" +
        "Date: Tue, 01 Jul 2025 10:00:00 +0000\r\n" +
        "X-Custom: kept exactly   as   written\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n" +
        "\r\n" +
        "--b1\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "\r\n" +
        "Hello\r\n" +
        "--b1\r\n" +
        "Content-Type: application/octet-stream; name=x.bin\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        "AAECAwQF\r\n" +
        "--b1--\r\n";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_exposes_the_headers()
    {
        var message = SmtpMessageFactory.Load(_dir.File("m.eml", Eml));

        Assert.Equal("Alice <alice@example.com>", message.From);
        Assert.Equal(new[] { "bob@example.com", "Carol <carol@example.com>" }, message.To);
        Assert.Equal(new[] { "cc@example.com" }, message.Cc);
        Assert.Equal(new[] { "hidden@example.com" }, message.Bcc);
        Assert.Equal("Grüße", message.Subject);
        Assert.Equal("eml-1@example.com", message.MessageId);
    }

    [Fact]
    public async Task Loaded_message_is_sent_unchanged_except_Bcc()
    {
        var message = SmtpMessageFactory.Load(_dir.File("m.eml", Eml));
        var sent = await Sent.ContentOf(message);

        Assert.Equal(Eml.Replace("Bcc: hidden@example.com\r\n", string.Empty), sent.Text);
        Assert.Equal(sent.Bytes.Length, message.Size);
        Assert.Equal(new[] { "bob@example.com", "carol@example.com", "cc@example.com", "hidden@example.com" }, message.CreateEnvelope().Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task A_loaded_file_with_lf_line_ends_is_sent_with_crlf()
    {
        var message = SmtpMessageFactory.Load(_dir.File("lf.eml", Eml.Replace("\r\n", "\n")));
        var sent = await Sent.ContentOf(message);

        Assert.Equal(Eml.Replace("Bcc: hidden@example.com\r\n", string.Empty), sent.Text);
        Assert.Equal(sent.Bytes.Length, sent.AnnouncedLength);
    }

    [Fact]
    public async Task Load_holds_no_handle_so_the_file_can_be_moved_and_is_reopened_for_sending()
    {
        var path = _dir.File("m.eml", Eml);
        var message = SmtpMessageFactory.Load(path);
        var first = await Sent.ContentOf(message);

        // Opening with FileShare.None fails while anyone else has the file open, on every platform .NET supports.
        using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }

        var second = await Sent.ContentOf(message);
        Assert.Equal(first.Bytes, second.Bytes);
    }

    [Fact]
    public async Task A_file_changed_after_loading_is_refused()
    {
        var path = _dir.File("m.eml", Eml);
        var message = SmtpMessageFactory.Load(path);
        File.WriteAllText(path, Eml.Replace("Hello", "Changed, and longer"));

        await Assert.ThrowsAsync<IOException>(() => Sent.ContentOf(message));
    }

    [Fact]
    public void Missing_file_throws_FileNotFoundException()
    {
        var missing = _dir.Combine("missing.eml");
        var error = Assert.Throws<FileNotFoundException>(() => SmtpMessageFactory.Load(missing));
        Assert.Equal(missing, error.FileName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("this is just some text, not mail\r\n")]
    [InlineData("\r\nbody without any header\r\n")]
    public void Malformed_file_throws_naming_the_path(string content)
    {
        var path = _dir.File("bad.eml", content);
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Equal("Path", error.ArgumentName);
    }

    [Fact]
    public void Binary_garbage_throws()
    {
        var path = _dir.File("bad.eml", new byte[] { 0, 1, 2, 3, 0xFF, 0xFE, 10, 13, 10 });
        Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Load(path));
    }

    [Fact]
    public async Task Parse_reads_bytes_and_strings()
    {
        var fromBytes = SmtpMessageFactory.Parse(Encoding.UTF8.GetBytes(Eml));
        var fromString = SmtpMessageFactory.Parse(Eml);

        Assert.Equal("eml-1@example.com", fromBytes.MessageId);
        Assert.Equal((await Sent.ContentOf(fromBytes)).Bytes, (await Sent.ContentOf(fromString)).Bytes);
    }

    [Fact]
    public void Parse_of_garbage_throws_naming_the_raw_message()
    {
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Parse("not a message"));
        Assert.Equal("RawMessage", error.ArgumentName);
    }

    [Fact]
    public async Task Save_of_a_loaded_message_round_trips_with_Bcc()
    {
        var message = SmtpMessageFactory.Load(_dir.File("m.eml", Eml));
        var copy = _dir.Combine("copy.eml");

        message.Save(copy);

        Assert.Equal(Eml, File.ReadAllText(copy));
        Assert.Equal("hidden@example.com", MimeMessage.Load(copy).Bcc.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task Save_over_its_own_source_file_is_refused_and_leaves_it_intact()
    {
        var path = _dir.File("m.eml", Eml);
        var message = SmtpMessageFactory.Load(path);

        Assert.Throws<IOException>(() => message.Save(path));

        Assert.Equal(Eml, File.ReadAllText(path));
        Assert.Equal("eml-1@example.com", (await Sent.ContentOf(message)).Message.MessageId);
    }
}
