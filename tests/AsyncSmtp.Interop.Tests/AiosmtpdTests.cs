using System.Net;
using System.Text;
using AsyncSmtp.Client;

namespace AsyncSmtp.Interop.Tests;

/// <summary>aiosmtpd (the server aiosmtplib's own tests use): it records the exact bytes received.</summary>
public sealed class AiosmtpdTests : InteropTest
{
    private const string Sender = "alice@example.test";

    private static InteropServer Aiosmtpd => InteropServer.Get(InteropServer.Aiosmtpd, "aiosmtpd");

    private static SmtpEnvelope To(params SmtpRecipient[] recipients) => new(Sender, recipients);

    [AiosmtpdTheory]
    [InlineData(SmtpAuthMechanism.Plain)]
    [InlineData(SmtpAuthMechanism.Login)]
    public async Task StartTlsAuthAndSend_ArriveByteExact(SmtpAuthMechanism mechanism)
    {
        var options = Aiosmtpd.Options(credential: Aiosmtpd.Credential);
        options.AuthMechanisms = new[] { mechanism };
        using var client = new SmtpClient(options);
        await client.ConnectAsync(Timeout);
        var message = TestMessage.Create(Sender, "bob@example.test", "Hello from AsyncSmtp.\r\n.leading dot\r\n.\r\nend\r\n");

        var result = await client.SendAsync(To("bob@example.test"), SmtpContent.FromBytes(message.Bytes), cancellationToken: Timeout);

        Assert.StartsWith("2.0.0 OK: saved as", result.Response.Message);
        var received = await AiosmtpdMessage.WaitForAsync(Aiosmtpd, message.Token);
        Assert.True(received.Encrypted);
        Assert.Equal(Aiosmtpd.UserName, received.AuthenticatedUser);
        Assert.Equal(Sender, received.MailFrom);
        Assert.Equal(new[] { "bob@example.test" }, received.RcptTos);
        ByteAssert.Equal(message.Bytes, received.Content);
        await client.QuitAsync(Timeout);
    }

    [AiosmtpdFact]
    public async Task Auth_WrongPassword_ThrowsAuthenticationException()
    {
        using var client = new SmtpClient(Aiosmtpd.Options(credential: new NetworkCredential(Aiosmtpd.UserName, "wrong")));

        var error = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => client.ConnectAsync(Timeout));

        Assert.Equal(535, error.Code);
        Assert.False(client.IsConnected);
    }

    [AiosmtpdFact]
    public async Task Send_BareCarriageReturnsAndLineFeeds_ArriveAsCrlf()
    {
        using var client = new SmtpClient(Aiosmtpd.Options());
        await client.ConnectAsync(Timeout);
        // Bare CR and bare LF could smuggle a second message past a lenient server; each is sent as CRLF.
        var message = TestMessage.Create(Sender, "crlf@example.test", "cr\rlf\n.\nmixed\r\r\nlast");

        await client.SendAsync(To("crlf@example.test"), SmtpContent.FromBytes(message.Bytes), cancellationToken: Timeout);

        var received = await AiosmtpdMessage.WaitForAsync(Aiosmtpd, message.Token);
        string expectedText = Encoding.UTF8.GetString(message.Bytes).Replace("cr\rlf\n.\nmixed\r\r\nlast", "cr\r\nlf\r\n.\r\nmixed\r\n\r\nlast\r\n");
        ByteAssert.Equal(Encoding.UTF8.GetBytes(expectedText), received.Content);
        await client.QuitAsync(Timeout);
    }

    [AiosmtpdFact]
    public async Task Send_StreamedContent_WithSizeAndEightBitMime()
    {
        using var client = new SmtpClient(Aiosmtpd.Options());
        await client.ConnectAsync(Timeout);
        var message = TestMessage.CreateLarge(Sender, "stream@example.test", 2 * 1024 * 1024);
        using var stream = new MemoryStream(message.Bytes);

        await client.SendAsync(To("stream@example.test"), SmtpContent.FromStream(stream), cancellationToken: Timeout);

        var received = await AiosmtpdMessage.WaitForAsync(Aiosmtpd, message.Token);
        Assert.Contains($"SIZE={message.Bytes.Length}", received.MailOptions);
        Assert.Contains("BODY=8BITMIME", received.MailOptions);
        ByteAssert.Equal(message.Bytes, received.Content);
        await client.QuitAsync(Timeout);
    }

    [AiosmtpdFact]
    public async Task Send_Utf8Recipient_RequestsSmtpUtf8()
    {
        using var client = new SmtpClient(Aiosmtpd.Options());
        await client.ConnectAsync(Timeout);
        var message = TestMessage.Create(Sender, "测试@example.test", "UTF-8 mailbox.\r\n");

        await client.SendAsync(To("测试@example.test"), SmtpContent.FromBytes(message.Bytes), cancellationToken: Timeout);

        var received = await AiosmtpdMessage.WaitForAsync(Aiosmtpd, message.Token);
        Assert.Contains("SMTPUTF8", received.MailOptions);
        Assert.Equal(new[] { "测试@example.test" }, received.RcptTos);
        await client.QuitAsync(Timeout);
    }

    [AiosmtpdFact]
    public async Task Plaintext_NoAuthOffered_CredentialsRefusedByTheClient()
    {
        using var client = new SmtpClient(Aiosmtpd.Options(credential: Aiosmtpd.Credential, tls: SmtpTlsMode.None));

        await Assert.ThrowsAsync<SmtpUnencryptedAuthenticationException>(() => client.ConnectAsync(Timeout));
    }

    [AiosmtpdFact]
    public async Task EhloRefused_FallsBackToHelo_AndSendsPlainly()
    {
        var options = Aiosmtpd.Options(tls: SmtpTlsMode.Opportunistic);
        options.Port = Aiosmtpd.HeloOnlyPort!.Value;
        using var client = new SmtpClient(options);
        await client.ConnectAsync(Timeout);
        var message = TestMessage.Create(Sender, "helo@example.test", "Sent after HELO.\r\n");

        Assert.Empty(client.Extensions);
        Assert.False(client.IsEncrypted);
        await client.SendAsync(To("helo@example.test"), SmtpContent.FromBytes(message.Bytes), cancellationToken: Timeout);

        var received = await AiosmtpdMessage.WaitForAsync(Aiosmtpd, message.Token);
        Assert.Equal("helo-only", received.Listener);
        Assert.False(received.ExtendedSmtp);
        Assert.False(string.IsNullOrEmpty(received.HeloName));
        // Without EHLO the server announced nothing, so MAIL carries no extension parameter.
        Assert.Empty(received.MailOptions);
        ByteAssert.Equal(message.Bytes, received.Content);
        await client.QuitAsync(Timeout);
    }

    [AiosmtpdFact]
    public async Task StartTlsRequired_ButNotOffered_FailsWithoutSending()
    {
        var options = Aiosmtpd.Options();
        options.Port = Aiosmtpd.HeloOnlyPort!.Value;
        using var client = new SmtpClient(options);

        await Assert.ThrowsAsync<SmtpStartTlsNotSupportedException>(() => client.ConnectAsync(Timeout));

        Assert.False(client.IsConnected);
    }

    [AiosmtpdFact]
    public async Task Help_And_Vrfy_AreAnswered()
    {
        using var client = new SmtpClient(Aiosmtpd.Options());
        await client.ConnectAsync(Timeout);

        var help = await client.HelpAsync(cancellationToken: Timeout);
        var vrfy = await client.VrfyAsync("bob@example.test", Timeout);

        Assert.Equal(250, help.Code);
        Assert.Contains("EHLO", help.Message);
        Assert.Equal(252, vrfy.Code);
        await client.QuitAsync(Timeout);
    }
}
