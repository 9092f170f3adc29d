namespace AsyncSmtp.TestServer.Tests;

public sealed class ProtocolTests
{
    [Fact]
    public async Task Greeting_is_the_configured_line()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, greeting) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var _ = client;

        Assert.Equal("220 localhost AsyncSmtp test server ESMTP", greeting);
        Assert.Equal("127.0.0.1", server.Host);
        Assert.NotEqual(0, server.Port);
    }

    [Fact]
    public async Task Ehlo_lists_the_extensions_then_starttls_and_records_the_client_name()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        var reply = await client.CommandAsync("EHLO client.example");

        Assert.Equal(
            new[]
            {
                "250-localhost Hello client.example", "250-PIPELINING", "250-SIZE 10485760", "250-8BITMIME",
                "250-ENHANCEDSTATUSCODES", "250-SMTPUTF8", "250-DSN", "250-CHUNKING",
                "250-AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2", "250 STARTTLS",
            },
            reply.Split('\n'));
        Assert.Equal("client.example", Assert.Single(server.Sessions).ClientName);
    }

    [Fact]
    public async Task Ehlo_refused_when_unsupported_so_helo_must_be_used()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { EhloSupported = false });
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        Assert.StartsWith("502 ", await client.CommandAsync("EHLO c"));
        Assert.Equal("250 localhost", await client.CommandAsync("HELO c"));
        // Without EHLO no extension applies, so ESMTP parameters and enhanced codes are off.
        Assert.StartsWith("555 Error: unsupported parameter SIZE=10", await client.CommandAsync("MAIL FROM:<a@x> SIZE=10"));
        Assert.Equal("250 Ok", await client.CommandAsync("MAIL FROM:<a@x>"));
    }

    [Fact]
    public async Task Pipelined_commands_in_one_write_are_answered_in_order_and_recorded()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO c");

        await client.SendAsync(
            "MAIL FROM:<sender@example.test> SIZE=20 BODY=8BITMIME RET=HDRS ENVID=env1\r\n"
            + "RCPT TO:<one@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;one@example.test\r\n"
            + "RCPT TO:<two@example.test>\r\n"
            + "DATA\r\n");
        Assert.Equal("250 2.1.0 Ok", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 Ok", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 Ok", await client.ReadReplyAsync());
        Assert.StartsWith("354 ", await client.ReadReplyAsync());
        Assert.Matches("^250 2.0.0 Ok: queued as [0-9A-F]{12}$", await client.CommandAsync("Subject: hi\r\n\r\nbody\r\n."));

        var message = await server.WaitForMessageAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("sender@example.test", message.Sender);
        Assert.Equal(new[] { "one@example.test", "two@example.test" }, message.Recipients);
        Assert.Equal(new[] { "SIZE=20", "BODY=8BITMIME", "RET=HDRS", "ENVID=env1" }, message.MailParameters);
        Assert.Equal(new[] { "NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;one@example.test" }, message.RecipientParameters["one@example.test"]);
        Assert.False(message.RecipientParameters.ContainsKey("two@example.test"));
        Assert.Equal("Subject: hi\r\n\r\nbody\r\n", message.Text);
        Assert.False(message.ViaBdat);
        Assert.False(message.IsEncrypted);
        Assert.Equal("c", message.ClientName);
        Assert.Contains("RCPT TO:<two@example.test>", server.Commands);
    }

    [Fact]
    public async Task Null_sender_is_accepted_and_queue_ids_are_unique()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO c");

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<>"));
            await client.CommandAsync("RCPT TO:<r@x>");
            await client.CommandAsync("DATA");
            await client.CommandAsync("x\r\n.");
        }

        var messages = await server.WaitForMessagesAsync(2, TimeSpan.FromSeconds(10));
        Assert.All(messages, m => Assert.Equal(string.Empty, m.Sender));
        Assert.NotEqual(messages[0].QueueId, messages[1].QueueId);
    }

    [Fact]
    public async Task Commands_out_of_sequence_get_503()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        Assert.StartsWith("503 ", await client.CommandAsync("MAIL FROM:<a@x>"));
        await client.CommandAsync("EHLO c");
        Assert.StartsWith("503 5.5.1 Error: need MAIL", await client.CommandAsync("RCPT TO:<b@x>"));
        Assert.StartsWith("503 5.5.1 Error: need MAIL", await client.CommandAsync("DATA"));
        await client.CommandAsync("MAIL FROM:<a@x>");
        Assert.StartsWith("503 5.5.1 Error: nested MAIL", await client.CommandAsync("MAIL FROM:<a@x>"));
        Assert.StartsWith("503 5.5.1 Error: need RCPT", await client.CommandAsync("DATA"));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("RSET"));
        Assert.StartsWith("503 ", await client.CommandAsync("RCPT TO:<b@x>"));
    }

    [Fact]
    public async Task Simple_verbs_have_their_usual_replies()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO c");

        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
        Assert.StartsWith("252 2.5.2 ", await client.CommandAsync("VRFY someone"));
        Assert.StartsWith("550 5.7.0 ", await client.CommandAsync("EXPN list"));
        Assert.StartsWith("214 2.0.0 ", await client.CommandAsync("HELP"));
        Assert.StartsWith("500 5.5.2 ", await client.CommandAsync("FROB nicate"));
        Assert.StartsWith("501 5.5.4 ", await client.CommandAsync("MAIL FROM:nobrackets@x"));
        Assert.Equal("221 2.0.0 Bye", await client.CommandAsync("QUIT"));
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Over_long_command_line_gets_500_and_the_session_goes_on()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        Assert.StartsWith("500 ", await client.CommandAsync("NOOP " + new string('x', 10_000)));
        Assert.Equal("250 Ok", await client.CommandAsync("NOOP " + new string('y', 4091)));
        Assert.StartsWith("500 ", await client.CommandAsync("NOOP " + new string('z', 4092)));
        Assert.Equal("250 Ok", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task Parameters_are_checked_against_what_is_offered()
    {
        var options = new SmtpTestServerOptions();
        options.Extensions.Remove("DSN");
        options.Extensions.Remove("SMTPUTF8");
        options.Extensions[options.Extensions.IndexOf("SIZE 10485760")] = "SIZE 1000";
        await using var server = SmtpTestServer.StartNew(options);
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO c");

        Assert.Equal("555 5.5.4 Error: unsupported parameter RET=HDRS", await client.CommandAsync("MAIL FROM:<a@x> RET=HDRS"));
        Assert.StartsWith("552 5.3.4 ", await client.CommandAsync("MAIL FROM:<a@x> SIZE=1001"));
        Assert.StartsWith("553 5.6.7 ", await client.CommandAsync("MAIL FROM:<jörg@x>"));
        Assert.StartsWith("555 ", await client.CommandAsync("MAIL FROM:<jörg@x> SMTPUTF8"));
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@x> SIZE=1000 BODY=8BITMIME"));
        Assert.StartsWith("555 ", await client.CommandAsync("RCPT TO:<b@x> NOTIFY=NEVER"));
    }

    [Fact]
    public async Task Smtputf8_addresses_are_accepted_with_the_parameter()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO c");

        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<jörg@bücher.example> SMTPUTF8"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<δοκιμή@παράδειγμα.δοκιμή>"));
        await client.CommandAsync("DATA");
        await client.CommandAsync("Subject: café\r\n\r\nü\r\n.");

        var message = await server.WaitForMessageAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("jörg@bücher.example", message.Sender);
        Assert.Equal("δοκιμή@παράδειγμα.δοκιμή", Assert.Single(message.Recipients));
        Assert.Equal("Subject: café\r\n\r\nü\r\n", message.Text);
    }
}
