using System.Diagnostics;
using System.Text;

namespace AsyncSmtp.TestServer.Tests;

public sealed class ScriptTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Reply_overrides_matching_commands_by_case_insensitive_prefix()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("RCPT TO:<bad@").Reply("550 5.1.1 No such user");
        var client = await TransactionAsync(server);
        await using var _ = client;

        Assert.Equal("550 5.1.1 No such user", await client.CommandAsync("rcpt to:<BAD@example.test>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<good@example.test>"));
        await client.CommandAsync("DATA");
        await client.CommandAsync("x\r\n.");

        Assert.Equal(new[] { "good@example.test" }, (await server.WaitForMessageAsync(_wait)).Recipients);
        Assert.Equal(1, server.Script.Rules.Single().Hits);
    }

    [Fact]
    public async Task Scripted_success_replies_still_drive_the_session()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("RCPT").Reply("251 2.1.5 User not local; will forward");
        server.On("DATA").ReplyMultiline(354, "Go ahead", "end with <CRLF>.<CRLF>");
        var client = await TransactionAsync(server);
        await using var _ = client;

        Assert.StartsWith("251 ", await client.CommandAsync("RCPT TO:<far@x>"));
        Assert.Equal("354-Go ahead\n354 end with <CRLF>.<CRLF>", await client.CommandAsync("DATA"));
        await client.SendAsync("body\r\n..\r\n");
        Assert.StartsWith("250 2.0.0 Ok: queued", await client.CommandAsync("."));

        var message = await server.WaitForMessageAsync(_wait);
        Assert.Equal("body\r\n.\r\n", message.Text);
        Assert.Equal(new[] { "far@x" }, message.Recipients);
    }

    [Fact]
    public async Task Greeting_can_be_scripted_and_delayed()
    {
        await using var server = SmtpTestServer.StartNew();
        server.OnGreeting().Delay(300).Reply("554-Go away", "554 No SMTP service here");

        var watch = Stopwatch.StartNew();
        var (client, greeting) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var _ = client;

        Assert.InRange(watch.ElapsedMilliseconds, 250, 10_000);
        Assert.Equal("554-Go away\n554 No SMTP service here", greeting);
    }

    [Fact]
    public async Task Delay_alone_slows_the_default_reply()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("NOOP").Delay(300);
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        var watch = Stopwatch.StartNew();
        Assert.Equal("250 Ok", await client.CommandAsync("NOOP"));
        Assert.InRange(watch.ElapsedMilliseconds, 250, 10_000);
    }

    [Fact]
    public async Task Disconnect_closes_without_a_reply()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("DATA").Disconnect();
        var client = await TransactionAsync(server);
        await using var _ = client;
        await client.CommandAsync("RCPT TO:<b@x>");

        await client.SendAsync("DATA\r\n");
        Assert.True(await client.IsClosedByServerAsync());
        var session = Assert.Single(server.Sessions);
        Assert.True(await session.WaitForCloseAsync(_wait));
        Assert.Null(session.Error);
    }

    [Fact]
    public async Task Reply_then_disconnect_sends_the_reply_first()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("MAIL").Reply("421 4.3.2 Shutting down").Disconnect();
        var client = await TransactionAsync(server, mail: false);
        await using var _ = client;

        Assert.Equal("421 4.3.2 Shutting down", await client.CommandAsync("MAIL FROM:<a@x>"));
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Hang_never_replies_and_ends_when_the_client_gives_up()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("DATA").Hang();
        var client = await TransactionAsync(server);
        await client.CommandAsync("RCPT TO:<b@x>");

        await client.SendAsync("DATA\r\nmore\r\n");
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReadLineAsync(patience.Token));
        await client.DisposeAsync();

        var session = Assert.Single(server.Sessions);
        Assert.True(await session.WaitForCloseAsync(_wait));
        Assert.DoesNotContain("more", server.Commands);
    }

    [Fact]
    public async Task Abort_resets_the_connection()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("NOOP").Abort();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        await client.SendAsync("NOOP\r\n");
        var exception = await Record.ExceptionAsync(() => client.ReadLineAsync());
        Assert.IsType<IOException>(exception);
    }

    [Fact]
    public async Task SendRaw_writes_bytes_unchanged_including_unsolicited_replies()
    {
        await using var server = SmtpTestServer.StartNew();
        var garbage = new byte[] { 0xC3, 0x28, 0x00, 0xFF, (byte)'\r', (byte)'\n' };
        server.On("NOOP").SendRaw(garbage).Once();
        server.On("RSET").Reply("250 2.0.0 Ok", "250 2.0.0 Extra reply nobody asked for");
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        await client.SendAsync("NOOP\r\n");
        Assert.Equal(garbage, await client.ReadBytesAsync(garbage.Length));
        Assert.Equal("250 Ok", await client.CommandAsync("NOOP"));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("RSET"));
        Assert.Equal("250 2.0.0 Extra reply nobody asked for", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task SendInChunks_delivers_a_reply_in_pieces()
    {
        await using var server = SmtpTestServer.StartNew();
        var reply = "250-first\r\n250-second line\r\n250 last\r\n";
        server.On("NOOP").SendInChunks(reply, chunkSize: 5, pauseMilliseconds: 5);
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        Assert.Equal("250-first\n250-second line\n250 last", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task Once_and_Times_limit_how_often_a_rule_fires()
    {
        await using var server = SmtpTestServer.StartNew();
        var once = server.On("NOOP").Reply("421 4.4.2 Timeout").Once();
        server.On("VRFY").Reply("550 5.1.1 Unknown").Times(2);
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        Assert.StartsWith("421 ", await client.CommandAsync("NOOP"));
        Assert.Equal("250 Ok", await client.CommandAsync("NOOP"));
        Assert.StartsWith("550 ", await client.CommandAsync("VRFY a"));
        Assert.StartsWith("550 ", await client.CommandAsync("VRFY a"));
        Assert.StartsWith("252 ", await client.CommandAsync("VRFY a"));
        Assert.Equal(1, once.Hits);
        Assert.Equal(0, once.RemainingUses);
    }

    [Fact]
    public async Task ThenDefault_sends_an_extra_line_before_the_normal_reply()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("NOOP").SendRaw("250 unsolicited\r\n").ThenDefault();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        Assert.Equal("250 unsolicited", await client.CommandAsync("NOOP"));
        Assert.Equal("250 Ok", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task End_of_message_can_be_refused_and_then_nothing_is_recorded()
    {
        await using var server = SmtpTestServer.StartNew();
        server.OnEndOfMessage().Reply("554 5.7.1 Rejected as spam").Once();
        var client = await TransactionAsync(server);
        await using var _ = client;
        await client.CommandAsync("RCPT TO:<b@x>");
        await client.CommandAsync("DATA");

        Assert.Equal("554 5.7.1 Rejected as spam", await client.CommandAsync("spam\r\n."));
        await client.CommandAsync("MAIL FROM:<a@x>");
        await client.CommandAsync("RCPT TO:<b@x>");
        await client.CommandAsync("DATA");
        Assert.StartsWith("250 ", await client.CommandAsync("ham\r\n."));

        Assert.Equal("ham\r\n", (await server.WaitForMessageAsync(_wait)).Text);
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task End_of_message_rule_applies_to_bdat_last()
    {
        await using var server = SmtpTestServer.StartNew();
        server.OnEndOfMessage().Reply("250 2.0.0 custom id");
        var client = await TransactionAsync(server);
        await using var _ = client;
        await client.CommandAsync("RCPT TO:<b@x>");

        await client.SendAsync("BDAT 4 LAST\r\nabcd");
        Assert.Equal("250 2.0.0 custom id", await client.ReadReplyAsync());
        Assert.True((await server.WaitForMessageAsync(_wait)).ViaBdat);
    }

    [Fact]
    public async Task Scripted_starttls_ready_still_upgrades()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("STARTTLS").Reply("220 Go ahead");
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        Assert.Equal("220 Go ahead", await client.CommandAsync("STARTTLS"));
        await client.HandshakeAsync();
        Assert.StartsWith("250", await client.CommandAsync("EHLO c"));
    }

    [Fact]
    public async Task Oversized_reply_line_is_sent_as_is()
    {
        await using var server = SmtpTestServer.StartNew();
        var huge = "250 " + new string('x', 100_000);
        server.On("NOOP").Reply(huge);
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        Assert.Equal(huge, await client.CommandAsync("NOOP"));
    }

    /// <summary>A greeted client, with MAIL FROM already accepted unless <paramref name="mail"/> is false.</summary>
    private static async Task<RawSmtpClient> TransactionAsync(SmtpTestServer server, bool mail = true)
    {
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await client.CommandAsync("EHLO c");
        if (mail)
        {
            Assert.StartsWith("250 ", await client.CommandAsync("MAIL FROM:<a@x>"));
        }

        return client;
    }
}
