using System.Text;
using AsyncSmtp.Client;

namespace AsyncSmtp.Interop.Tests;

/// <summary>postfix: messages sent over STARTTLS and found, byte for byte, in the sink maildir.</summary>
public sealed class PostfixDeliveryTests : InteropTest
{
    private const string Sender = "alice@example.test";

    private static InteropServer Postfix => InteropServer.Get(InteropServer.Postfix, "postfix");

    private async Task<SmtpClient> ConnectAsync(ProtocolLog? log = null, Action<SmtpClientOptions>? configure = null)
    {
        var options = Postfix.Options(log);
        configure?.Invoke(options);
        var client = new SmtpClient(options);
        await client.ConnectAsync(Timeout);
        return client;
    }

    private Task<SmtpTransactionResult> SendAsync(SmtpClient client, TestMessage message, params SmtpRecipient[] recipients) =>
        SendAsync(client, message, new SmtpEnvelope(Sender, recipients));

    private Task<SmtpTransactionResult> SendAsync(SmtpClient client, TestMessage message, SmtpEnvelope envelope) =>
        client.SendAsync(envelope, SmtpContent.FromBytes(message.Bytes), cancellationToken: Timeout);

    /// <summary>postfix stores LF line endings and prepends trace headers; everything else must be exactly what was sent.</summary>
    private static async Task<byte[]> AssertDeliveredAsync(TestMessage message, string recipient)
    {
        byte[] delivered = await PostfixMaildir.WaitForDeliveryAsync(Postfix, message, recipient);
        ByteAssert.EndsWith(TestMessage.ToUnixLineEndings(message.Bytes), delivered);
        return delivered;
    }

    [PostfixTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Send_IsDeliveredByteExact(bool useChunking)
    {
        var log = new ProtocolLog();
        using var client = await ConnectAsync(log, o => o.UseChunking = useChunking);
        var message = TestMessage.Create(Sender, "bob@example.test", "Hello Bob,\r\n\r\nA plain message.\r\n");

        var result = await SendAsync(client, message, "bob@example.test");

        Assert.Equal(250, result.Response.Code);
        Assert.Contains("queued as", result.Response.Message);
        Assert.Equal(new[] { "bob@example.test" }, result.AcceptedRecipients);
        Assert.Empty(result.RefusedRecipients);
        Assert.Contains(log.Commands, c => c.StartsWith(useChunking ? "BDAT" : "DATA", StringComparison.Ordinal));
        byte[] delivered = await AssertDeliveredAsync(message, "bob@example.test");
        string trace = PostfixMaildir.TraceHeaders(delivered, TestMessage.ToUnixLineEndings(message.Bytes).Length);
        Assert.StartsWith("Return-Path: <alice@example.test>\n", trace);
        Assert.Contains("Delivered-To: bob@example.test\n", trace);
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task ChunkingPipeliningAndSize_AreOffered()
    {
        // The theories here only prove BDAT and PIPELINING interop if postfix offers them.
        using var client = await ConnectAsync();
        Assert.True(client.Extensions.Contains("CHUNKING"));
        Assert.True(client.Extensions.Contains("PIPELINING"));
        Assert.Equal(52428800, client.MaxMessageSize);
        await client.QuitAsync(Timeout);
    }

    [PostfixTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Send_LinesStartingWithDots_ArriveUnchanged(bool useChunking)
    {
        using var client = await ConnectAsync(configure: o => o.UseChunking = useChunking);
        // A line that is only a dot would end DATA early if the client did not double it.
        var message = TestMessage.Create(Sender, "dots@example.test",
            ".leading dot\r\n..two dots\r\n.\r\nafter a lone dot\r\n. \r\n...\r\nlast line\r\n.");

        await SendAsync(client, message, "dots@example.test");

        // The body did not end with a line break; the client added one.
        byte[] delivered = await PostfixMaildir.WaitForDeliveryAsync(Postfix, message, "dots@example.test");
        ByteAssert.EndsWith(TestMessage.ToUnixLineEndings(message.Bytes.Concat("\r\n"u8.ToArray()).ToArray()), delivered);
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Send_BareLineFeeds_AreSentAsLines()
    {
        using var client = await ConnectAsync();
        var message = TestMessage.Create(Sender, "lf@example.test", "one\ntwo\n.\nthree\n");

        await SendAsync(client, message, "lf@example.test");

        // The client sent each bare LF as CRLF, and doubled the dot on the line of its own.
        await AssertDeliveredAsync(message, "lf@example.test");
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Send_FiveMegabytes_IsDeliveredByteExact()
    {
        using var client = await ConnectAsync();
        var message = TestMessage.CreateLarge(Sender, "large@example.test", 5 * 1024 * 1024);

        var result = await SendAsync(client, message, "large@example.test");

        Assert.True(result.BytesSent >= message.Bytes.Length);
        await AssertDeliveredAsync(message, "large@example.test");
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Send_Utf8Addresses_UseSmtpUtf8()
    {
        var log = new ProtocolLog();
        using var client = await ConnectAsync(log);
        const string Recipient = "пользователь@example.test";
        const string Sender = "josé@example.test";
        var message = TestMessage.Create(Sender, Recipient, "Адрес в UTF-8.\r\n", "Grüße");

        var result = await SendAsync(client, message, new SmtpEnvelope(Sender, new SmtpRecipient[] { Recipient }));

        Assert.Equal(new[] { Recipient }, result.AcceptedRecipients);
        Assert.Contains("SMTPUTF8", log.Command("MAIL FROM"));
        byte[] delivered = await AssertDeliveredAsync(message, Recipient);
        Assert.Contains($"Delivered-To: {Recipient}\n", Encoding.UTF8.GetString(delivered));
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Send_EightBitBody_DeclaresEightBitMime()
    {
        var log = new ProtocolLog();
        using var client = await ConnectAsync(log);
        var message = TestMessage.Create(Sender, "eight@example.test", "Grüße aus Köln — ✓ 8-bit bytes, unencoded.\r\n");

        await SendAsync(client, message, "eight@example.test");

        Assert.Contains("BODY=8BITMIME", log.Command("MAIL FROM"));
        await AssertDeliveredAsync(message, "eight@example.test");
        await client.QuitAsync(Timeout);
    }

    [PostfixTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Send_ManyRecipients_EachGetsACopy(bool usePipelining)
    {
        using var client = await ConnectAsync(configure: o => o.UsePipelining = usePipelining);
        string[] recipients = { "r1@example.test", "r2@example.test", "r3@example.test" };
        var message = TestMessage.Create(Sender, string.Join(", ", recipients), "To three recipients.\r\n");

        var result = await SendAsync(client, message, recipients.Select(r => (SmtpRecipient)r).ToArray());

        Assert.Equal(recipients, result.AcceptedRecipients);
        var copies = await PostfixMaildir.WaitForAsync(Postfix, message.Token, recipients.Length);
        var deliveredTo = copies.Select(c => Encoding.UTF8.GetString(c).Split('\n').First(l => l.StartsWith("Delivered-To: ", StringComparison.Ordinal))).Order();
        Assert.Equal(recipients.Select(r => "Delivered-To: " + r), deliveredTo);
        foreach (var copy in copies) ByteAssert.EndsWith(TestMessage.ToUnixLineEndings(message.Bytes), copy);
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Send_OneRecipientRefused_OthersDelivered()
    {
        // Without AUTH, postfix refuses to relay to any domain but example.test.
        using var client = await ConnectAsync();
        var message = TestMessage.Create(Sender, "ok@example.test", "One of two recipients is refused.\r\n");

        var result = await SendAsync(client, message, "ok@example.test", "nobody@elsewhere.invalid");

        Assert.Equal(new[] { "ok@example.test" }, result.AcceptedRecipients);
        var refusal = Assert.Single(result.RefusedRecipients);
        Assert.Equal("nobody@elsewhere.invalid", refusal.Recipient);
        Assert.Equal(554, refusal.Code);
        Assert.Equal("5.7.1", refusal.EnhancedStatusCode);
        Assert.Contains("Relay access denied", refusal.ServerMessage);
        await AssertDeliveredAsync(message, "ok@example.test");
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Send_EveryRecipientRefused_ThrowsAndSessionStaysUsable()
    {
        using var client = await ConnectAsync();
        var refused = TestMessage.Create(Sender, "a@elsewhere.invalid", "Never sent.\r\n");

        var error = await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => SendAsync(client, refused, "a@elsewhere.invalid", "b@elsewhere.invalid"));

        Assert.Equal(new[] { "a@elsewhere.invalid", "b@elsewhere.invalid" }, error.Refusals.Select(r => r.Recipient));
        Assert.All(error.Refusals, r => Assert.Equal(554, r.Code));
        // The transaction was reset; the same connection sends the next message.
        Assert.True(client.IsConnected);
        var next = TestMessage.Create(Sender, "next@example.test", "Sent after a refused transaction.\r\n");
        await SendAsync(client, next, "next@example.test");
        await AssertDeliveredAsync(next, "next@example.test");
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Send_NullSender_IsDeliveredWithEmptyReturnPath()
    {
        using var client = await ConnectAsync();
        var message = TestMessage.Create("MAILER-DAEMON@example.test", "bounce@example.test", "A bounce has no return path.\r\n");

        await SendAsync(client, message, new SmtpEnvelope("", new SmtpRecipient[] { "bounce@example.test" }));

        byte[] delivered = await AssertDeliveredAsync(message, "bounce@example.test");
        Assert.StartsWith("Return-Path: <>\n", Encoding.UTF8.GetString(delivered));
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Send_DsnParameters_AreAcceptedAndHonoured()
    {
        var log = new ProtocolLog();
        using var client = await ConnectAsync(log);
        var message = TestMessage.Create(Sender, "dsn@example.test", "Please confirm delivery.\r\n");
        string envelopeId = "envid-" + Guid.NewGuid().ToString("N");
        var envelope = new SmtpEnvelope(Sender, new[] { new SmtpRecipient("dsn@example.test", SmtpNotify.Success | SmtpNotify.Failure, "original@example.test") })
        {
            Return = SmtpDsnReturn.Headers,
            EnvelopeId = envelopeId,
        };

        await SendAsync(client, message, envelope);

        string mail = log.Command("MAIL FROM"), rcpt = log.Command("RCPT TO");
        Assert.Contains("RET=HDRS", mail);
        Assert.Contains("ENVID=" + envelopeId, mail);
        Assert.Matches("NOTIFY=(SUCCESS,FAILURE|FAILURE,SUCCESS)", rcpt);
        Assert.Contains("ORCPT=rfc822;original@example.test", rcpt);
        await AssertDeliveredAsync(message, "dsn@example.test");
        // NOTIFY=SUCCESS: postfix reports the delivery to the sender, quoting the envelope id and ORCPT.
        string report = Encoding.UTF8.GetString((await PostfixMaildir.WaitForAsync(Postfix, "Original-Envelope-Id: " + envelopeId))[0]);
        Assert.Contains("Action: delivered", report);
        Assert.Contains("Original-Recipient: rfc822;original@example.test", report);
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Send_LargerThanTheServersSize_IsRefusedBeforeSending()
    {
        using var client = await ConnectAsync();
        long tooLarge = client.MaxMessageSize!.Value + 1;
        bool written = false;
        var content = SmtpContent.FromWriter((_, _) => { written = true; return Task.CompletedTask; }, tooLarge);

        var error = await Assert.ThrowsAsync<SmtpMessageTooLargeException>(() =>
            client.SendAsync(new SmtpEnvelope(Sender, new SmtpRecipient[] { "big@example.test" }), content, cancellationToken: Timeout));

        Assert.Equal(tooLarge, error.Size);
        Assert.False(written);
        Assert.Equal(250, (await client.NoopAsync(Timeout)).Code);
        await client.QuitAsync(Timeout);
    }
}
