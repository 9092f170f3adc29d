using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client.Tests;

public class ParserTests
{
    private static SmtpExtensions Parse(params string[] lines) => SmtpExtensions.Parse(new SmtpResponse(250, lines));

    [Fact]
    public void ExtensionsKeepRawLinesParametersAndUnknownKeywords()
    {
        var extensions = Parse("mail.example greets you", "size 35882577", "8BITMIME", "X-UNKNOWN-THING a b", "Auth PLAIN login");
        Assert.Equal(new[] { "SIZE", "8BITMIME", "X-UNKNOWN-THING", "AUTH" }, extensions.Select(e => e.Name));
        Assert.Equal("size 35882577", extensions["SIZE"]!.Line);
        Assert.Equal(new[] { "a", "b" }, extensions["x-unknown-thing"]!.Parameters);
        Assert.Equal(35882577L, extensions.MaxMessageSize);
        Assert.Equal(new[] { "PLAIN", "LOGIN" }, extensions.AuthMechanisms);
    }

    [Fact]
    public void ExtensionsUnderstandOldStyleAuthAndRepeatedKeywords()
    {
        var extensions = Parse("host", "AUTH=LOGIN PLAIN", "AUTH CRAM-MD5", "SIZE 10", "SIZE 20");
        Assert.Equal(new[] { "LOGIN", "PLAIN", "CRAM-MD5" }, extensions.AuthMechanisms);
        Assert.Equal(20L, extensions.MaxMessageSize);
        Assert.Single(extensions, e => e.Name == "SIZE");
    }

    [Fact]
    public void SizeZeroMeansNoLimit()
    {
        Assert.Null(Parse("host", "SIZE 0").MaxMessageSize);
        Assert.Null(Parse("host", "SIZE").MaxMessageSize);
        Assert.Null(Parse("host").MaxMessageSize);
    }

    [Theory]
    [InlineData(550, "5.1.1 User unknown", "5.1.1")]
    [InlineData(250, "2.0.0 Ok: queued as 4F2", "2.0.0")]
    [InlineData(452, "4.5.3 Too many recipients", "4.5.3")]
    [InlineData(250, "2.1.10 x", "2.1.10")]
    [InlineData(550, "4.1.1 class disagrees", null)]
    [InlineData(250, "Ok", null)]
    [InlineData(250, "2.0 short", null)]
    [InlineData(250, "2.0.0000 too long", null)]
    [InlineData(250, "2.0.0x", null)]
    [InlineData(250, "2.0.0", "2.0.0")]
    public void FindsEnhancedStatusCodes(int code, string line, string? expected)
    {
        Assert.Equal(expected, new SmtpResponse(code, new[] { line }).EnhancedStatusCode);
    }

    [Fact]
    public void EnvelopeCommandsCarryEsmtpParametersInOrder()
    {
        var extensions = Parse("host", "SIZE 100000", "8BITMIME", "SMTPUTF8", "DSN");
        var envelope = new SmtpEnvelope("a@example.com", new[] { new SmtpRecipient("b@example.com", SmtpNotify.Success | SmtpNotify.Failure, "b+x=y@example.com") })
        {
            Return = SmtpDsnReturn.Headers,
            EnvelopeId = "id 1+",
        };
        Assert.Equal("MAIL FROM:<a@example.com> SIZE=123 SMTPUTF8 BODY=8BITMIME RET=HDRS ENVID=id+201+2B",
            EnvelopeCommands.Mail(envelope, extensions, 123, smtpUtf8: true));
        Assert.Equal("RCPT TO:<b@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Bx+3Dy@example.com", EnvelopeCommands.Rcpt(envelope.Recipients[0]));
        Assert.Equal("RCPT TO:<c@d> NOTIFY=NEVER", EnvelopeCommands.Rcpt(new SmtpRecipient("c@d", SmtpNotify.Never)));
        Assert.Throws<SmtpArgumentException>(() => EnvelopeCommands.Rcpt(new SmtpRecipient("c@d", SmtpNotify.Never | SmtpNotify.Delay)));
        Assert.Equal("MAIL FROM:<>", EnvelopeCommands.Mail(new SmtpEnvelope("", new SmtpRecipient[] { "x@y" }), SmtpExtensions.None, 5, false));
    }

    [Theory]
    [InlineData("a@b\r\nRSET")]
    [InlineData("a@b\n")]
    [InlineData("a\u0000b")]
    [InlineData("tab\there")]
    [InlineData("del\u007f")]
    public void ControlCharactersAreRefused(string value)
    {
        var ex = Assert.Throws<SmtpArgumentException>(() => CommandGuard.RequireSafe(value, "address"));
        Assert.Equal("address", ex.ArgumentName);
    }

    [Fact]
    public void AddressesMayNotCloseTheirBrackets()
    {
        Assert.Throws<SmtpArgumentException>(() => CommandGuard.RequireAddress("a@b> SIZE=1", "sender"));
        CommandGuard.RequireAddress("\"quoted name\"@example.com", "sender");
    }
}
