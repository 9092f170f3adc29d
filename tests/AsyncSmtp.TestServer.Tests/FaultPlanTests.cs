namespace AsyncSmtp.TestServer.Tests;

/// <summary>The soak's fault plan: each fault does what it says, and the ledger counts by Message-Id.</summary>
public sealed class FaultPlanTests
{
    private const string Message = "Message-ID: <m1@test>\r\nSubject: x\r\n\r\nbody\r\n.";

    [Fact]
    public async Task Accepted_messages_are_counted_per_message_id_and_recipient()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { Faults = new SmtpFaultPlan(1) });
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var _ = client;
        await client.CommandAsync("EHLO c");
        for (var i = 0; i < 2; i++)
        {
            await client.CommandAsync("MAIL FROM:<a@x>");
            await client.CommandAsync("RCPT TO:<B@x>");
            await client.CommandAsync("DATA");
            Assert.StartsWith("250 ", await client.CommandAsync(Message));
        }

        Assert.Equal(2, server.Ledger.AcceptedCount("m1@test", "b@x"));
        Assert.Equal(0, server.Ledger.AcceptedCount("m1@test", "c@x"));
        Assert.Empty(server.Ledger.FaultsOf("m1@test"));
    }

    [Fact]
    public async Task A_drop_after_the_dot_keeps_nothing_and_closes_without_a_reply()
    {
        var faults = new SmtpFaultPlan(1) { DropAfterDot = 1 };
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { Faults = faults });
        await using var client = await RawSmtpClient.OpenDataAsync(server);

        await client.SendAsync(Message + "\r\n");

        Assert.True(await client.IsClosedByServerAsync());
        Assert.Equal(0, server.Ledger.AcceptedCount("m1@test", "b@x"));
        Assert.Equal(new[] { MessageFault.DroppedAfterDot }, server.Ledger.FaultsOf("m1@test"));
    }

    [Fact]
    public async Task Accept_then_drop_keeps_the_message_and_sends_no_reply()
    {
        var faults = new SmtpFaultPlan(1) { AcceptThenDrop = 1 };
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { Faults = faults });
        await using var client = await RawSmtpClient.OpenDataAsync(server);

        await client.SendAsync(Message + "\r\n");

        Assert.True(await client.IsClosedByServerAsync());
        Assert.Equal(1, server.Ledger.AcceptedCount("m1@test", "b@x"));
        Assert.Equal(new[] { MessageFault.AcceptedThenDropped }, server.Ledger.FaultsOf("m1@test"));
    }

    [Fact]
    public async Task A_drop_mid_body_reads_the_headers_then_closes()
    {
        var faults = new SmtpFaultPlan(1) { DropMidBody = 1 };
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { Faults = faults });
        await using var client = await RawSmtpClient.OpenDataAsync(server);

        await client.SendAsync("Message-ID: <m1@test>\r\n\r\n");

        Assert.True(await client.IsClosedByServerAsync());
        Assert.Equal(new[] { MessageFault.DroppedMidBody }, server.Ledger.FaultsOf("m1@test"));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task Deferrals_answer_4xx_and_keep_the_session_open()
    {
        var faults = new SmtpFaultPlan(1) { DeferAtEndOfData = 1 };
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { Faults = faults });
        await using var client = await RawSmtpClient.OpenDataAsync(server);

        Assert.StartsWith("451 4.3.0", await client.CommandAsync(Message));
        Assert.Equal(new[] { MessageFault.DeferredAtEndOfData }, server.Ledger.FaultsOf("m1@test"));
        Assert.StartsWith("250 ", await client.CommandAsync("NOOP"));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task Drops_at_mail_and_throttling_at_the_greeting_close_the_connection()
    {
        var drops = new SmtpFaultPlan(1) { DropAtMail = 1 };
        await using var dropping = SmtpTestServer.StartNew(new SmtpTestServerOptions { Faults = drops });
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(dropping);
        await using (client)
        {
            await client.CommandAsync("EHLO c");
            await client.SendAsync("MAIL FROM:<a@x>\r\n");
            Assert.True(await client.IsClosedByServerAsync());
        }

        var throttle = new SmtpFaultPlan(1) { ThrottleAtGreeting = 1 };
        await using var throttling = SmtpTestServer.StartNew(new SmtpTestServerOptions { Faults = throttle });
        var (refused, greeting) = await RawSmtpClient.ConnectAndGreetAsync(throttling);
        await using (refused)
        {
            Assert.StartsWith("421 4.3.2", greeting);
            Assert.True(await refused.IsClosedByServerAsync());
        }
    }

    [Fact]
    public async Task The_same_seed_draws_the_same_faults()
    {
        var first = await RcptRepliesAsync(new SmtpFaultPlan(42) { DeferAtRcpt = 0.3 });
        var second = await RcptRepliesAsync(new SmtpFaultPlan(42) { DeferAtRcpt = 0.3 });

        Assert.Equal(first, second);
        Assert.Contains(first, reply => reply.StartsWith("450 4.2.0", StringComparison.Ordinal));
        Assert.Contains(first, reply => reply.StartsWith("250 ", StringComparison.Ordinal));
    }

    private static async Task<List<string>> RcptRepliesAsync(SmtpFaultPlan faults)
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { Faults = faults });
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var _ = client;
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@x>");
        var replies = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            replies.Add(await client.CommandAsync($"RCPT TO:<r{i}@x>"));
        }

        return replies;
    }
}
