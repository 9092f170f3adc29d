using AsyncSmtp.Client;
using MimeKit;

namespace AsyncSmtp.Mime.Tests;

public sealed class AttachmentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SmtpMessage WithAttachments(params string[] paths) => SmtpMessageFactory.Create(new SmtpMessageSpec
    {
        From = "a@example.com",
        To = new[] { "b@example.com" },
        Body = "files attached",
        Attachments = paths,
    });

    [Fact]
    public async Task Attachments_make_a_multipart_mixed_with_name_type_and_content()
    {
        var pdf = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();
        var csv = "name,value\nä,1\n"u8.ToArray();
        var sent = await Sent.ContentOf(WithAttachments(_dir.File("report.pdf", pdf), _dir.File("data.csv", csv)));

        var mixed = Assert.IsType<Multipart>(sent.Message.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.Equal("text/plain", mixed[0].ContentType.MimeType);
        var attachments = sent.Message.Attachments.Cast<MimePart>().ToList();
        Assert.Equal(new[] { "report.pdf", "data.csv" }, attachments.Select(a => a.FileName));
        Assert.Equal("report.pdf", attachments[0].ContentType.Name);
        Assert.Equal(new[] { "application/pdf", "text/csv" }, attachments.Select(a => a.ContentType.MimeType));
        Assert.All(attachments, a => Assert.Equal(ContentEncoding.Base64, a.ContentTransferEncoding));
        Assert.All(attachments, a => Assert.True(a.IsAttachment));
        Assert.Equal(pdf, ContentTests.Decoded(attachments[0]));
        Assert.Equal(csv, ContentTests.Decoded(attachments[1]));
    }

    [Fact]
    public async Task A_symbolic_link_to_a_file_is_attached_under_the_link_name_with_the_file_content()
    {
        var content = Enumerable.Range(0, 5_000).Select(i => (byte)(i % 199)).ToArray();
        string target = _dir.File("target-v3.bin", content);
        string link = _dir.Combine("report.bin");
        File.CreateSymbolicLink(link, target);

        var sent = await Sent.ContentOf(WithAttachments(link));

        var attachment = (MimePart)sent.Message.Attachments.Single();
        Assert.Equal("report.bin", attachment.FileName);
        Assert.Equal(content, ContentTests.Decoded(attachment));
    }

    [Fact]
    public async Task Utf8_file_names_round_trip()
    {
        const string Name = "Übersicht – März 2025 日本.xlsx";
        var sent = await Sent.ContentOf(WithAttachments(_dir.File(Name, new byte[] { 1, 2, 3 })));

        var attachment = (MimePart)sent.Message.Attachments.Single();
        Assert.Equal(Name, attachment.FileName);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", attachment.ContentType.MimeType);
    }

    [Fact]
    public async Task A_non_ascii_name_is_written_as_rfc2231_filename_and_rfc2047_name_for_old_clients()
    {
        const string Name = "Prüfbericht März.pdf";
        var sent = await Sent.ContentOf(WithAttachments(_dir.File(Name, new byte[] { 1 })));

        var unfolded = sent.Text.Replace("\r\n ", " ").Replace("\r\n\t", " ");
        Assert.Matches(@"Content-Disposition: attachment;\s*filename\*(0\*)?=[\w-]+''Pr%", unfolded);
        Assert.Matches(@"Content-Type: application/pdf;\s*name=""=\?[\w-]+\?[bBqQ]\?Pr", unfolded);
        var attachment = (MimePart)sent.Message.Attachments.Single();
        Assert.Equal(Name, attachment.ContentDisposition!.FileName);
        Assert.Equal(Name, attachment.ContentType.Name);
    }

    [Fact]
    public async Task An_ascii_name_is_written_plainly_in_both_places()
    {
        var sent = await Sent.ContentOf(WithAttachments(_dir.File("report.pdf", new byte[] { 1 })));

        Assert.Contains("Content-Type: application/pdf; name=report.pdf\r\n", sent.Text);
        Assert.Contains("Content-Disposition: attachment; filename=report.pdf\r\n", sent.Text);
    }

    [Fact]
    public async Task Unknown_extension_is_octet_stream()
    {
        var sent = await Sent.ContentOf(WithAttachments(_dir.File("blob.weird-ext", new byte[] { 0 })));
        Assert.Equal("application/octet-stream", sent.Message.Attachments.Single().ContentType.MimeType);
    }

    [Fact]
    public async Task Empty_file_is_an_empty_attachment()
    {
        var sent = await Sent.ContentOf(WithAttachments(_dir.File("empty.txt", Array.Empty<byte>())));
        Assert.Empty(ContentTests.Decoded((MimePart)sent.Message.Attachments.Single()));
    }

    [Fact]
    public void Missing_file_throws_FileNotFoundException_naming_the_path()
    {
        var missing = _dir.Combine("nope.pdf");
        var error = Assert.Throws<FileNotFoundException>(() => WithAttachments(missing));
        Assert.Equal(missing, error.FileName);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void A_directory_is_not_an_attachment()
    {
        Assert.Throws<FileNotFoundException>(() => WithAttachments(_dir.Path));
    }

    [Fact]
    public void Empty_path_throws()
    {
        var error = Assert.Throws<SmtpArgumentException>(() => WithAttachments(""));
        Assert.Equal("Attachments", error.ArgumentName);
    }

    [Fact]
    public async Task The_file_is_read_at_send_time_and_a_changed_file_is_refused()
    {
        var path = _dir.File("live.txt", "first version");
        var message = WithAttachments(path);
        var size = message.Size;

        File.WriteAllText(path, "a second, longer version");

        var error = await Assert.ThrowsAsync<IOException>(() => Sent.ContentOf(message));
        Assert.Contains(path, error.Message);
        Assert.True(size > 0);
    }

    [Fact]
    public async Task No_handle_is_held_between_sends_and_a_deleted_file_is_refused()
    {
        var path = _dir.File("temp.bin", new byte[100]);
        var message = WithAttachments(path);
        _ = message.Size;
        await Sent.ContentOf(message);

        // Opening with FileShare.None fails while anyone else has the file open.
        using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }

        File.Delete(path);

        Assert.False(File.Exists(path));
        await Assert.ThrowsAnyAsync<IOException>(() => Sent.ContentOf(message));
    }

    [Fact]
    public void A_failed_save_leaves_no_partial_file()
    {
        var attachment = _dir.File("a.txt", "first");
        var message = WithAttachments(attachment);
        File.WriteAllText(attachment, "changed since");
        var target = _dir.Combine("out.eml");

        Assert.Throws<IOException>(() => message.Save(target));

        Assert.Equal(new[] { "a.txt" }, Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_over_an_attachment_is_refused()
    {
        var attachment = _dir.File("a.txt", "keep me");
        var message = WithAttachments(attachment);

        Assert.Throws<IOException>(() => message.Save(attachment));
        Assert.Equal("keep me", File.ReadAllText(attachment));
    }
}
