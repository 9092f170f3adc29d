using System.Text;
using AsyncSmtp.Client;
using MimeKit;

namespace AsyncSmtp.Mime.Tests;

public class EncodingTests
{
    private static SmtpMessageSpec Spec(Encoding? encoding, string subject = "Grüße", string body = "Käse") => new()
    {
        From = "a@example.com",
        To = new[] { "b@example.com" },
        Subject = subject,
        Body = body,
        HtmlBody = "<p>" + body + "</p>",
        Encoding = encoding,
    };

    [Fact]
    public async Task Without_an_encoding_subject_and_bodies_are_utf8()
    {
        var sent = await Sent.Of(Spec(null));

        Assert.Contains("Subject: =?utf-8?", sent.Text);
        Assert.All(sent.Message.BodyParts.OfType<TextPart>(), part => Assert.Equal("utf-8", part.ContentType.Charset));
        Assert.Equal("Grüße", sent.Message.Subject);
        Assert.Equal("Käse", sent.Message.TextBody);
    }

    [Fact]
    public async Task The_chosen_encoding_is_the_charset_of_subject_and_every_text_part()
    {
        var latin1 = Encoding.GetEncoding("iso-8859-1");
        var sent = await Sent.Of(Spec(latin1));

        Assert.Contains("Subject: =?iso-8859-1?", sent.Text);
        var parts = sent.Message.BodyParts.OfType<TextPart>().ToList();
        Assert.Equal(2, parts.Count);
        Assert.All(parts, part => Assert.Equal("iso-8859-1", part.ContentType.Charset));
        Assert.Equal("Grüße", sent.Message.Subject);
        Assert.Equal("Käse", sent.Message.TextBody);
        Assert.Equal("<p>Käse</p>", sent.Message.HtmlBody);
    }

    [Fact]
    public async Task Ascii_text_in_ascii_stays_plain_7bit()
    {
        var sent = await Sent.Of(Spec(Encoding.ASCII, "Hello", "plain words"));

        Assert.Contains("Subject: Hello\r\n", sent.Text);
        Assert.All(sent.Message.BodyParts.OfType<TextPart>(), part =>
        {
            Assert.Equal("us-ascii", part.ContentType.Charset);
            Assert.Equal(ContentEncoding.SevenBit, part.ContentTransferEncoding);
        });
    }

    [Theory]
    [InlineData("Grüße", "plain", "Subject")]
    [InlineData("Hello", "Käse", "Body")]
    public void Text_the_encoding_cannot_hold_is_refused_rather_than_sent_with_question_marks(
        string subject, string body, string parameter)
    {
        var spec = Spec(Encoding.ASCII, subject, body);
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(spec));
        Assert.Equal(parameter, error.ArgumentName);
        Assert.Contains("us-ascii cannot encode", error.Message);
    }
}
