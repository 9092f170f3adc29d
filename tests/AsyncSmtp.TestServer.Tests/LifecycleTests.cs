using System.Net;
using System.Net.Sockets;

namespace AsyncSmtp.TestServer.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Many_concurrent_sessions_each_deliver_their_message()
    {
        await using var server = SmtpTestServer.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
            await using var __ = client;
            await client.SendAsync($"EHLO c{i}\r\nMAIL FROM:<s{i}@x>\r\nRCPT TO:<r@x>\r\nDATA\r\n");
            for (var reply = 0; reply < 4; reply++)
            {
                await client.ReadReplyAsync();
            }

            Assert.StartsWith("250 ", await client.CommandAsync($"message {i}\r\n."));
            await client.CommandAsync("QUIT");
        }));

        var messages = await server.WaitForMessagesAsync(20, TimeSpan.FromSeconds(10));
        Assert.Equal(20, messages.Select(m => m.Sender).Distinct().Count());
        Assert.Equal(20, server.Sessions.Count);
        Assert.Equal(Enumerable.Range(1, 20), server.Sessions.Select(s => s.Id).Order());
    }

    [Fact]
    public async Task Stop_closes_open_sessions_and_the_listener_promptly()
    {
        var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        var port = server.Port;

        var stop = server.StopAsync();
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(10))));

        Assert.True(await client.IsClosedByServerAsync());
        Assert.True(Assert.Single(server.Sessions).IsClosed);
        Assert.False(server.IsRunning);
        Assert.Equal(port, server.Port);
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
        server.Dispose();
    }

    [Fact]
    public async Task Wait_for_message_times_out_with_a_clear_exception()
    {
        await using var server = SmtpTestServer.StartNew();

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForMessageAsync(TimeSpan.FromMilliseconds(50)));
        Assert.Contains("0 message(s)", exception.Message);
        Assert.Throws<TimeoutException>(() => server.WaitForMessage(50));
    }

    [Fact]
    public async Task Wait_returns_each_message_once_even_if_it_arrived_before_the_call()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO c");
        foreach (var body in new[] { "one", "two" })
        {
            await client.CommandAsync("MAIL FROM:<a@x>");
            await client.CommandAsync("RCPT TO:<b@x>");
            await client.CommandAsync("DATA");
            await client.CommandAsync(body + "\r\n.");
        }

        Assert.Equal("one\r\n", server.WaitForMessage(10_000).Text);
        Assert.Equal("two\r\n", (await server.WaitForMessageAsync(TimeSpan.FromSeconds(10))).Text);
        await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForMessageAsync(TimeSpan.FromMilliseconds(50)));

        server.Clear();
        Assert.Empty(server.Messages);
        Assert.Empty(server.Commands);
        Assert.Empty(server.Sessions);
    }

    [Fact]
    public async Task Ipv6_loopback_is_supported()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { Address = IPAddress.IPv6Loopback });
        var (client, greeting) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var _ = client;

        Assert.Equal("::1", server.Host);
        Assert.StartsWith("220 ", greeting);
        Assert.StartsWith("[::1]:", Assert.Single(server.Sessions).RemoteEndPoint);
    }

    [Fact]
    public void Non_loopback_addresses_and_double_start_are_refused()
    {
        using var remote = new SmtpTestServer(new SmtpTestServerOptions { Address = IPAddress.Any });
        Assert.Throws<InvalidOperationException>(remote.Start);

        using var server = SmtpTestServer.StartNew();
        Assert.Throws<InvalidOperationException>(server.Start);
    }

    [Fact]
    public async Task Client_that_vanishes_mid_data_does_not_disturb_the_server()
    {
        await using var server = SmtpTestServer.StartNew();
        await using (var client = await RawSmtpClient.ConnectAsync(server))
        {
            await client.ReadReplyAsync();
            await client.SendAsync("EHLO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\nhalf a mess");
            for (var reply = 0; reply < 4; reply++)
            {
                await client.ReadReplyAsync();
            }
        }

        Assert.True(await Assert.Single(server.Sessions).WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        var (next, greeting) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = next;
        Assert.StartsWith("220 ", greeting);
        Assert.Empty(server.Messages);
    }
}
