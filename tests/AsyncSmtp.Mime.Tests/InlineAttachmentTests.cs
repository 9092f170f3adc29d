using AsyncSmtp.Client;
using MimeKit;

namespace AsyncSmtp.Mime.Tests;

public sealed class InlineAttachmentTests : IDisposable
{
    private static readonly byte[] _png = { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 13 };
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private SmtpMessageSpec Spec(string contentId = "logo") => new()
    {
        From = "a@example.com",
        To = new[] { "b@example.com" },
        Body = "Our logo",
        HtmlBody = $"<p><img src=\"cid:{contentId}\"> Our logo</p>",
        InlineAttachments = new Dictionary<string, string> { [contentId] = _dir.File("logo.png", _png) },
    };

    [Fact]
    public async Task Html_and_inline_image_make_a_multipart_related_next_to_the_plain_text()
    {
        var sent = await Sent.Of(Spec());

        var alternative = Assert.IsType<MultipartAlternative>(sent.Message.Body);
        Assert.Equal("text/plain", alternative[0].ContentType.MimeType);
        var related = Assert.IsType<MultipartRelated>(alternative[1]);
        Assert.Equal("text/html", related.Root!.ContentType.MimeType);
        var image = Assert.IsType<MimePart>(related[1]);
        Assert.Equal("image/png", image.ContentType.MimeType);
        Assert.Equal("logo", image.ContentId);
        Assert.Contains("Content-Id: <logo>", sent.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ContentDisposition.Inline, image.ContentDisposition!.Disposition);
        Assert.False(image.IsAttachment);
        Assert.Empty(sent.Message.Attachments);
        Assert.Equal(_png, ContentTests.Decoded(image));
        Assert.Same(image, related.Cast<MimeEntity>().Single(e => e.ContentId == "logo"));
    }

    [Fact]
    public async Task Html_body_alone_becomes_the_root_of_the_related_part_and_attachments_go_around_it()
    {
        var spec = Spec();
        spec.Body = spec.HtmlBody;
        spec.HtmlBody = null;
        spec.BodyAsHtml = true;
        spec.Attachments = new[] { _dir.File("report.csv", "a,b\n") };
        var sent = await Sent.Of(spec);

        var mixed = Assert.IsType<Multipart>(sent.Message.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        var related = Assert.IsType<MultipartRelated>(mixed[0]);
        Assert.Equal("text/html", related.Root!.ContentType.MimeType);
        Assert.Equal("report.csv", ((MimePart)sent.Message.Attachments.Single()).FileName);
    }

    [Fact]
    public void Inline_parts_need_an_html_body()
    {
        var spec = Spec();
        spec.HtmlBody = null;
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(spec));
        Assert.Equal("InlineAttachment", error.ArgumentName);
        Assert.Contains("HTML body", error.Message);
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("<logo>")]
    [InlineData("50%")]
    [InlineData("")]
    public void A_content_id_that_cannot_be_written_after_cid_is_refused(string contentId)
    {
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(Spec(contentId)));
        Assert.Equal("InlineAttachment", error.ArgumentName);
    }

    [Fact]
    public void A_missing_inline_file_fails_when_the_message_is_built()
    {
        var spec = Spec();
        spec.InlineAttachments = new Dictionary<string, string> { ["logo"] = _dir.Combine("missing.png") };
        Assert.Throws<FileNotFoundException>(() => SmtpMessageFactory.Create(spec));
    }

    [Fact]
    public async Task The_inline_file_is_read_when_sent_and_its_handle_released()
    {
        var message = SmtpMessageFactory.Create(Spec());
        Assert.True(message.ReadsFiles);
        await Sent.ContentOf(message);
        File.Delete(_dir.Combine("logo.png"));
        Assert.False(File.Exists(_dir.Combine("logo.png")));
    }
}
