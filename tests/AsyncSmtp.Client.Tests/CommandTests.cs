using AsyncSmtp.Client.Tests.Support;

namespace AsyncSmtp.Client.Tests;

public class CommandTests
{
    [Fact]
    public async Task QuitClosesAndADropAfterQuitIsAClean221()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.CloseOn("QUIT\r\n");
        var reply = await client.QuitAsync();
        Assert.Equal(221, reply.Code);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task VerbsAcceptTheirCodesAndRefuseOthers()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("VRFY postmaster\r\n", "252 2.0.0 cannot verify")
              .On("VRFY nobody\r\n", "550 5.1.1 unknown")
              .On("EXPN staff\r\n", "250-a@x\r\n250 b@x")
              .On("HELP\r\n", "214 see RFC 5321")
              .On("RSET\r\n", "250 ok")
              .On("NOOP\r\n", "250 ok");
        Assert.Equal(252, (await client.VrfyAsync("postmaster")).Code);
        var ex = await Assert.ThrowsAsync<SmtpResponseException>(() => client.VrfyAsync("nobody"));
        Assert.Equal(550, ex.Code);
        Assert.Equal(new[] { "a@x", "b@x" }, (await client.ExpnAsync("staff")).Lines);
        Assert.Equal(214, (await client.HelpAsync()).Code);
        Assert.Equal(250, (await client.RsetAsync()).Code);
        Assert.Equal(250, (await client.NoopAsync()).Code);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ExecuteReturnsRefusalsAsData()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("XCLIENT foo\r\n", "550 5.7.0 not authorised");
        var reply = await client.ExecuteAsync("XCLIENT foo");
        Assert.Equal(550, reply.Code);
        Assert.False(reply.IsSuccess);
        Assert.True(client.IsConnected);
    }

    [Theory]
    [InlineData("NOOP\r\nRSET")]
    [InlineData("NOOP\n")]
    [InlineData("NOOP\u0000")]
    public async Task ControlCharactersAreRefusedBeforeAnythingIsWritten(string command)
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        string before = server.Written;
        await Assert.ThrowsAsync<SmtpArgumentException>(() => client.ExecuteAsync(command));
        await Assert.ThrowsAsync<SmtpArgumentException>(() => client.VrfyAsync("a\r\nb"));
        await Assert.ThrowsAsync<SmtpArgumentException>(() => client.SendAsync(new SmtpEnvelope("a@x\r\nRSET", new SmtpRecipient[] { "b@x" }), SmtpContent.FromBytes(new byte[1])));
        await Assert.ThrowsAsync<SmtpArgumentException>(() => client.SendAsync(new SmtpEnvelope("a@x", new SmtpRecipient[] { "b@x\n" }), SmtpContent.FromBytes(new byte[1])));
        Assert.Equal(before, server.Written);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task EhloIsSentAutomaticallyButNotBeforeQuit()
    {
        var server = new ScriptedServerStream().On("EHLO", "250-x\r\n250 STARTTLS").On("STARTTLS", "454 4.7.0 TLS not available").On("NOOP", "250 ok").On("QUIT", "221 bye");
        using var client = Scripted.Client(server);
        await client.ConnectAsync();
        // STARTTLS refused: the connection stays in plaintext and usable; nothing re-greets.
        await Assert.ThrowsAsync<SmtpResponseException>(() => client.StartTlsAsync());
        await client.NoopAsync();
        await client.QuitAsync();
        Assert.Equal(1, TextCount.Of(server.Written, "EHLO"));
        Assert.EndsWith("NOOP\r\nQUIT\r\n", server.Written);
    }

    [Fact]
    public async Task TheProtocolLogShowsBothSidesAndTheBodyAsASize()
    {
        var log = new List<SmtpLogEntry>();
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, configure: o => o.ProtocolLogger = e => { lock (log) log.Add(e); });
        server.On("DATA\r\n", "250 ok\r\n250 ok\r\n354 go").On("\r\n.\r\n", "250 queued");
        await client.SendAsync(new SmtpEnvelope("a@x", new SmtpRecipient[] { "b@x" }), SmtpContent.FromBytes("very private body"u8.ToArray()));
        var lines = log.Select(e => e.ToString()).ToList();
        Assert.Contains("S: 220 test.example ESMTP ready", lines);
        Assert.Contains("C: EHLO client.test", lines);
        Assert.Contains("C: DATA", lines);
        Assert.Contains("C: [message body: 22 bytes]", lines);
        Assert.Contains("S: 250 queued", lines);
        Assert.DoesNotContain(lines, l => l.Contains("very private"));
    }

    [Fact]
    public async Task TheProtocolLogIsSilentWhileItsSwitchIsOff()
    {
        var log = new List<string>();
        bool logging = false;
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, configure: o =>
        {
            o.ProtocolLogger = e => { lock (log) log.Add(e.ToString()); };
            o.ProtocolLogEnabled = () => logging;
        });
        server.On("DATA\r\n", "250 ok\r\n250 ok\r\n354 go").On("\r\n.\r\n", "250 queued").On("NOOP\r\n", "250 fine");
        await client.SendAsync(_message, Body);
        Assert.Empty(log);

        logging = true;
        await client.NoopAsync();
        Assert.Equal(new[] { "C: NOOP", "S: 250 fine" }, log);
    }

    private static readonly SmtpEnvelope _message = new("sender@example.com", new SmtpRecipient[] { "rcpt@example.com" });

    private static SmtpContent Body => SmtpContent.FromBytes(System.Text.Encoding.ASCII.GetBytes("body"));

    [Fact]
    public async Task ATransactionLeftOpenByARawMailOrRcptIsResetBeforeTheNextMessage()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("MAIL FROM:<probe@example.com>\r\n", "250 ok").On("RCPT TO:<probe@example.org>\r\n", "250 ok")
              .On("RSET\r\n", "250 reset").On("DATA\r\n", "250 ok\r\n250 ok\r\n354 go").On("\r\n.\r\n", "250 queued");
        await client.ExecuteAsync("MAIL FROM:<probe@example.com>");
        await client.ExecuteAsync("RCPT TO:<probe@example.org>");
        await client.SendAsync(_message, Body);
        Assert.Contains("RCPT TO:<probe@example.org>\r\nRSET\r\nMAIL FROM:<sender@example.com>", server.Written);
    }

    [Fact]
    public async Task MailAsyncLeavesATransactionTheNextMessageResetsFirst()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("MAIL FROM:<probe@example.com>\r\n", "250 ok").On("RSET\r\n", "250 reset")
              .On("DATA\r\n", "250 ok\r\n250 ok\r\n354 go").On("\r\n.\r\n", "250 queued").On("DATA\r\n", "250 ok\r\n250 ok\r\n354 go")
              .On("\r\n.\r\n", "250 queued");
        await client.MailAsync("probe@example.com");
        await client.SendAsync(_message, Body);
        await client.SendAsync(_message, Body);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(server.Written, "RSET"));
    }

    [Fact]
    public async Task AfterARawHeloNeitherPipeliningNorChunkingNorAnyExtensionIsUsed()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, "250-test.example\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 8BITMIME");
        server.On("HELO me.example\r\n", "250 hello").On("MAIL FROM:<sender@example.com>\r\n", "250 ok").On("RCPT", "250 ok")
              .On("DATA\r\n", "354 go").On("\r\n.\r\n", "250 queued");
        await client.ExecuteAsync("HELO me.example");
        Assert.Empty(client.Extensions);
        await client.SendAsync(_message, Body);
        Assert.DoesNotContain("BDAT", server.Written);
        Assert.EndsWith("MAIL FROM:<sender@example.com>\r\nRCPT TO:<rcpt@example.com>\r\nDATA\r\nbody\r\n.\r\n", server.Written);
        // DATA went in a write of its own: nothing was pipelined.
        Assert.Contains("DATA\r\n".Length, server.WriteSizes);
    }

    [Fact]
    public async Task ARawEhloReplacesTheExtensions()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("EHLO other.example\r\n", "250-test.example\r\n250 SIZE 10");
        await client.ExecuteAsync("EHLO other.example");
        Assert.Equal(new[] { "SIZE" }, client.Extensions.Select(e => e.Name));
        Assert.Equal(10, client.MaxMessageSize);
    }
}
