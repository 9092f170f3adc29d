using System.Text;
using AsyncSmtp.Client.Tests.Support;

namespace AsyncSmtp.Client.Tests;

public class TransactionTests
{
    private static SmtpEnvelope Envelope(params string[] recipients) =>
        new("sender@example.com", recipients.Select(r => new SmtpRecipient(r)));

    private static SmtpContent Text(string body) => SmtpContent.FromBytes(Encoding.UTF8.GetBytes(body));

    [Fact]
    public async Task PipelinesTheWholeEnvelopeInOneWrite()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        int writesBefore = server.WriteSizes.Count;
        server.On("MAIL FROM:<sender@example.com> SIZE=13 BODY=8BITMIME\r\n", "250 2.1.0 ok")
              .On("RCPT TO:<a@example.com>\r\n", "250 2.1.5 ok")
              .On("RCPT TO:<b@example.com>\r\n", "550 5.1.1 no such user")
              .On("DATA\r\n", "354 go ahead")
              .On("\r\n.\r\n", "250 2.0.0 Ok: queued as ABC123");
        var result = await client.SendAsync(Envelope("a@example.com", "b@example.com"), Text("Subject: hi\r\n"));

        var writes = server.WriteSizes.Skip(writesBefore).ToArray();
        string envelope = "MAIL FROM:<sender@example.com> SIZE=13 BODY=8BITMIME\r\nRCPT TO:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n";
        Assert.Equal(Encoding.ASCII.GetByteCount(envelope), writes[0]);
        Assert.Equal(2, writes.Length);
        Assert.Equal("Ok: queued as ABC123", result.Response.Message.Substring(6));
        Assert.Equal("2.0.0", result.Response.EnhancedStatusCode);
        Assert.Equal(new[] { "a@example.com" }, result.AcceptedRecipients);
        var refused = Assert.Single(result.RefusedRecipients);
        Assert.Equal("b@example.com", refused.Recipient);
        Assert.Equal(550, refused.Code);
        Assert.Equal("5.1.1", refused.EnhancedStatusCode);
        Assert.EndsWith("DATA\r\nSubject: hi\r\n.\r\n", server.Written);
    }

    [Fact]
    public async Task ARefusedMessageCarriesTheRecipientsRefusedBeforeIt()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("MAIL FROM:<sender@example.com> SIZE=13 BODY=8BITMIME\r\n", "250 2.1.0 ok")
              .On("RCPT TO:<a@example.com>\r\n", "250 2.1.5 ok");
        // One recipient deferred, then the message itself refused at its end.
        server.On("RCPT TO:<b@example.com>\r\n", "450 4.2.1 mailbox busy").On("DATA\r\n", "354 go ahead");
        server.On("\r\n.\r\n", "451 4.3.0 local error").On("RSET\r\n", "250 2.0.0 ok");

        var refused = await Assert.ThrowsAsync<SmtpDataException>(() =>
            client.SendAsync(Envelope("a@example.com", "b@example.com"), Text("Subject: hi\r\n")));

        Assert.Equal(451, refused.Code);
        var deferred = Assert.Single(refused.RefusedRecipients);
        Assert.Equal("b@example.com", deferred.Recipient);
        Assert.Equal(450, deferred.Code);
    }

    [Fact]
    public async Task WithoutPipeliningEachCommandWaitsForItsReply()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, Scripted.EhloNoPipelining);
        int writesBefore = server.WriteSizes.Count;
        server.On("MAIL FROM:", "250 ok").On("RCPT TO:<a@x>", "250 ok").On("DATA", "354 go").On("\r\n.\r\n", "250 queued");
        await client.SendAsync(Envelope("a@x"), Text("body"));
        Assert.Equal(4, server.WriteSizes.Count - writesBefore);
    }

    [Fact]
    public async Task EveryRecipientRefusedSendsNoBodyAndResets()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("MAIL", "250 ok").On("RCPT TO:<a@x>", "550 5.1.1 no").On("RCPT TO:<b@x>", "553 5.1.3 bad")
              .On("DATA\r\n", "554 5.5.1 no valid recipients").On("RSET\r\n", "250 reset");
        var ex = await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => client.SendAsync(Envelope("a@x", "b@x"), Text("secret body")));
        Assert.Equal(new[] { "a@x", "b@x" }, ex.Refusals.Select(r => r.Recipient));
        Assert.DoesNotContain("secret body", server.Written);
        Assert.EndsWith("RSET\r\n", server.Written);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ALargeBodyEncodedAheadIsDroppedUnsentWhenTheEnvelopeIsRefused()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("DATA\r\n", "250 ok\r\n550 5.1.1 no\r\n554 5.5.1 no valid recipients").On("RSET", "250 ok").On("NOOP", "250 fine");
        var big = new string('x', 400_000);
        await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => client.SendAsync(Envelope("a@x"), Text(big)));
        Assert.DoesNotContain("xxxx", server.Written);
        Assert.Equal("fine", (await client.NoopAsync()).Message);
    }

    [Fact]
    public async Task AContentSourceThatFailsBeforeTheGoAheadNeverEndsTheDataPhase()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("DATA\r\n", "250 ok\r\n250 ok\r\n354 go");
        var failing = SmtpContent.FromWriter((stream, ct) => throw new IOException("file vanished"), null);
        await Assert.ThrowsAsync<IOException>(() => client.SendAsync(Envelope("a@x"), failing));
        Assert.EndsWith("DATA\r\n", server.Written);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task AServerThatAcceptsDataWithoutRecipientsGetsAnEmptyBody()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("MAIL", "250 ok").On("RCPT", "550 no").On("DATA\r\n", "354 go").On(".\r\n", "554 nothing to deliver").On("RSET", "250 ok");
        await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => client.SendAsync(Envelope("a@x"), Text("must not be sent")));
        Assert.DoesNotContain("must not be sent", server.Written);
        Assert.EndsWith("DATA\r\n.\r\nRSET\r\n", server.Written);
    }

    [Fact]
    public async Task ALenientServerThatAcceptsDataAfterRefusingTheSenderGetsALoneDot()
    {
        // RFC 2920 3.1: the sender was refused, so whatever the server says to RCPT and DATA, no message exists.
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("MAIL", "550 5.7.1 sender refused").On("RCPT", "250 ok").On("DATA\r\n", "354 go")
              .On(".\r\n", "554 no valid sender").On("RSET", "250 ok");
        var ex = await Assert.ThrowsAsync<SmtpSenderRefusedException>(() => client.SendAsync(Envelope("a@x"), Text("must not be sent")));
        Assert.Equal(550, ex.Code);
        Assert.DoesNotContain("must not be sent", server.Written);
        Assert.EndsWith("DATA\r\n.\r\nRSET\r\n", server.Written);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ARefusedSenderIsReportedAndReset()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, Scripted.EhloNoPipelining);
        server.On("MAIL", "553 5.7.1 sender not allowed").On("RSET", "250 ok");
        var ex = await Assert.ThrowsAsync<SmtpSenderRefusedException>(() => client.SendAsync(Envelope("a@x"), Text("x")));
        Assert.Equal("sender@example.com", ex.Sender);
        Assert.Equal(553, ex.Code);
        Assert.DoesNotContain("RCPT", server.Written);
        Assert.EndsWith("RSET\r\n", server.Written);
    }

    [Fact]
    public async Task ARefusedMessageIsADataErrorAndTheClientStaysUsable()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("MAIL", "250 ok").On("RCPT", "250 ok").On("DATA", "354 go").On("\r\n.\r\n", "554 5.6.0 spam").On("RSET", "250 ok").On("NOOP", "250 ok");
        var ex = await Assert.ThrowsAsync<SmtpDataException>(() => client.SendAsync(Envelope("a@x"), Text("x")));
        Assert.Equal("5.6.0", ex.EnhancedStatusCode);
        Assert.Equal(250, (await client.NoopAsync()).Code);
    }

    [Fact]
    public async Task AMessageLargerThanSizeIsRefusedBeforeWriting()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, "250-x\r\n250 SIZE 10");
        string before = server.Written;
        var ex = await Assert.ThrowsAsync<SmtpMessageTooLargeException>(() => client.SendAsync(Envelope("a@x"), Text("eleven byte")));
        Assert.Equal(10, ex.Limit);
        Assert.Equal(before, server.Written);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task NonAsciiAddressesNeedSmtpUtf8()
    {
        var plain = new ScriptedServerStream();
        using var a = await Scripted.ConnectedAsync(plain, "250-x\r\n250 8BITMIME");
        var ex = await Assert.ThrowsAsync<SmtpNotSupportedException>(() => a.SendAsync(Envelope("jürgen@example.com"), Text("x")));
        Assert.Equal("SMTPUTF8", ex.Extension);

        var utf8 = new ScriptedServerStream();
        using var b = await Scripted.ConnectedAsync(utf8);
        utf8.On("MAIL FROM:<sender@example.com> SIZE=3 SMTPUTF8 BODY=8BITMIME\r\n", "250 ok").On("RCPT TO:<j", "250 ok")
            .On("DATA", "354 go").On("\r\n.\r\n", "250 ok");
        await b.SendAsync(Envelope("jürgen@example.com"), Text("x"));
    }

    [Fact]
    public async Task DsnParametersNeedDsn()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, "250-x\r\n250 PIPELINING");
        var envelope = new SmtpEnvelope("s@x", new[] { new SmtpRecipient("a@x", SmtpNotify.Failure) });
        var ex = await Assert.ThrowsAsync<SmtpNotSupportedException>(() => client.SendAsync(envelope, Text("x")));
        Assert.Equal("DSN", ex.Extension);
    }

    [Theory]
    [InlineData("MAIL")]
    [InlineData("RCPT")]
    [InlineData("DATA\r\n")]
    [InlineData("\r\n.\r\n")]
    public async Task ADropAtAnyStageIsReportedAndDisconnects(string stage)
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, Scripted.EhloNoPipelining);
        var script = new[] { ("MAIL", "250 ok"), ("RCPT", "250 ok"), ("DATA\r\n", "354 go"), ("\r\n.\r\n", "250 queued") };
        foreach (var (expect, reply) in script)
        {
            if (expect == stage) { server.CloseOn(expect); break; }
            server.On(expect, reply);
        }
        var lost = await Assert.ThrowsAnyAsync<SmtpConnectionException>(() => client.SendAsync(Envelope("a@x"), Text("body")));
        // Lost after the whole message was written: uncertain; before: not sent.
        Assert.Equal(stage == "\r\n.\r\n", lost is SmtpDeliveryUncertainException);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<SmtpNotConnectedException>(() => client.NoopAsync());
    }

    [Fact]
    public async Task A421EndsTheTransactionAndTheConnection()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("DATA\r\n", "250 ok\r\n421 4.4.2 timeout, bye\r\n");
        var ex = await Assert.ThrowsAsync<SmtpServerDisconnectedException>(() => client.SendAsync(Envelope("a@x", "b@x"), Text("x")));
        Assert.Equal(421, ex.Code);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ALateFinalReplyIsUncertainAfterAReadTimeoutAndDisconnects()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, configure: o => o.Timeout = TimeSpan.FromMilliseconds(300));
        server.On("DATA\r\n", "250 ok\r\n250 ok\r\n354 go").SilentOn("\r\n.\r\n");
        // The whole message was written before the reply timed out: uncertain, because of a read timeout.
        var uncertain = await Assert.ThrowsAsync<SmtpDeliveryUncertainException>(() => client.SendAsync(Envelope("a@x"), Text("x")));
        Assert.IsType<SmtpReadTimeoutException>(uncertain.InnerException);
        Assert.False(client.IsConnected);
        Assert.True(server.IsDisposed);
    }

    [Fact]
    public async Task CancellationStopsPromptlyAndDisconnects()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, configure: o => o.Timeout = Timeout.InfiniteTimeSpan);
        server.On("DATA\r\n", "250 ok\r\n250 ok\r\n354 go").SilentOn("\r\n.\r\n");
        using var cts = new CancellationTokenSource(200);
        var send = client.SendAsync(Envelope("a@x"), Text("x"), cancellationToken: cts.Token);
        Assert.Same(send, await Task.WhenAny(send, Task.Delay(5000)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ASurplusReplyIsAProtocolErrorNotAShiftedReply()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("NOOP\r\n", "250 ok\r\n250 surplus");
        await client.NoopAsync();
        await Assert.ThrowsAsync<SmtpProtocolException>(() => client.NoopAsync());
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task AnUnsolicitedReplyIsAProtocolError()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var serverTask = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            using var stream = new System.Net.Sockets.NetworkStream(socket);
            using var reader = new StreamReader(stream);
            await stream.WriteAsync("220 hi\r\n"u8.ToArray());
            await reader.ReadLineAsync();
            await stream.WriteAsync("250 hello\r\n"u8.ToArray());
            await stream.WriteAsync("250 nobody asked\r\n"u8.ToArray());
            await reader.ReadLineAsync();
        });
        using var client = new SmtpClient(new SmtpClientOptions
        {
            Host = "127.0.0.1",
            Port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port,
            TlsMode = SmtpTlsMode.None,
            LocalHostName = "client.test",
        });
        await client.ConnectAsync();
        await Task.Delay(200);
        await Assert.ThrowsAsync<SmtpProtocolException>(() => client.NoopAsync());
        Assert.False(client.IsConnected);
        await serverTask;
    }

    [Fact]
    public async Task ReplySplitAtEveryByteStillWorks()
    {
        var server = new ScriptedServerStream(chunkSize: 1);
        using var client = await Scripted.ConnectedAsync(server);
        server.On("DATA\r\n", "250 2.1.0 ok\r\n250 2.1.5 ok\r\n354 go").On("\r\n.\r\n", "250-first line\r\n250 2.0.0 queued as X");
        var result = await client.SendAsync(Envelope("a@x"), Text("x"));
        Assert.Equal(new[] { "first line", "2.0.0 queued as X" }, result.Response.Lines);
    }

    [Fact]
    public async Task BodySmugglingIsNeutralised()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("DATA\r\n", "250 ok\r\n250 ok\r\n354 go").On("\r\n.\r\n", "250 queued");
        await client.SendAsync(Envelope("a@x"), Text("hi\n.\r\nMAIL FROM:<evil@x>\r\nRCPT TO:<victim@x>\r\nDATA\r\nforged\r\n.\r\n"));
        string body = server.Written.Substring(server.Written.IndexOf("DATA\r\n", StringComparison.Ordinal) + 6);
        Assert.Equal(body.Length - 5, body.IndexOf("\r\n.\r\n", StringComparison.Ordinal));
        Assert.Contains("hi\r\n..\r\nMAIL FROM:<evil@x>", body);
    }

    [Fact]
    public async Task ChunkingSendsEachChunkWithItsCommandOnlyAfterTheEnvelopeIsAccepted()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, "250-x\r\n250-PIPELINING\r\n250 CHUNKING");
        int before = server.WriteSizes.Count;
        server.On("RCPT TO:<a@x>\r\n", "250 ok\r\n250 ok").On("BDAT 7 LAST\r\n.a\r\nb\r\n", "250 2.0.0 queued");
        var result = await client.SendAsync(Envelope("a@x"), Text(".a\nb"));
        Assert.Equal(new[] { "MAIL FROM:<sender@example.com>\r\nRCPT TO:<a@x>\r\n".Length, "BDAT 7 LAST\r\n.a\r\nb\r\n".Length }, server.WriteSizes.Skip(before));
        Assert.Equal("2.0.0", result.Response.EnhancedStatusCode);
        Assert.Equal(7, result.BytesSent);
    }

    [Fact]
    public async Task ChunkingSendsNoChunkWhenTheEnvelopeIsRefused()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, "250-x\r\n250-PIPELINING\r\n250 CHUNKING");
        server.On("RCPT TO:<a@x>\r\n", "530 5.7.0 Must issue a STARTTLS command first\r\n530 5.7.0 Must issue a STARTTLS command first").On("RSET", "250 ok");
        await Assert.ThrowsAsync<SmtpSenderRefusedException>(() => client.SendAsync(Envelope("a@x"), Text("RSET\r\nQUIT\r\n")));
        Assert.DoesNotContain("BDAT", server.Written);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ChunkingStopsAtTheFirstRefusedChunk()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, "250-x\r\n250-PIPELINING\r\n250 CHUNKING");
        server.On("RCPT TO:<a@x>\r\n", "250 ok\r\n250 ok").On("BDAT ", "552 5.3.4 too big").On("RSET", "250 ok");
        var ex = await Assert.ThrowsAsync<SmtpDataException>(() => client.SendAsync(Envelope("a@x"), Text(new string('x', 500_000))));
        Assert.Equal(552, ex.Code);
        Assert.Equal(1, TextCount.Of(server.Written, "BDAT"));
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ConcurrentSendsAreSerialisedNotInterleaved()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, Scripted.EhloNoPipelining);
        for (int i = 0; i < 2; i++)
            server.On("MAIL", "250 ok").On("RCPT", "250 ok").On("DATA", "354 go").On("\r\n.\r\n", "250 queued " + i);
        var first = client.SendAsync(Envelope("a@x"), Text("one"));
        var second = client.SendAsync(Envelope("b@x"), Text("two"));
        var results = await Task.WhenAll(first, second);
        Assert.Equal(new[] { "queued 0", "queued 1" }, results.Select(r => r.Response.Message));
        string written = server.Written;
        Assert.True(written.IndexOf("one\r\n.\r\n", StringComparison.Ordinal) < written.IndexOf("RCPT TO:<b@x>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailingContentSourceNeverEndsTheDataPhase()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("DATA\r\n", "250 ok\r\n250 ok\r\n354 go");
        var failing = SmtpContent.FromWriter(async (stream, ct) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("partial"), ct);
            throw new IOException("disk gone");
        }, null);
        await Assert.ThrowsAsync<IOException>(() => client.SendAsync(Envelope("a@x"), failing));
        Assert.DoesNotContain("\r\n.\r\n", server.Written);
        Assert.False(client.IsConnected);
    }
}
