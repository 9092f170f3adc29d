using System.Text;

namespace AsyncSmtp.TestServer.Tests;

public sealed class DataTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Dot_stuffing_is_undone_in_Data_and_kept_in_RawData()
    {
        await using var server = SmtpTestServer.StartNew();
        await using var client = await RawSmtpClient.OpenDataAsync(server);

        const string Wire = "..leading dot\r\n..\r\n...\r\nmiddle.\r\n..x\r\n";
        Assert.StartsWith("250 ", await client.CommandAsync(Wire + "."));

        var message = await server.WaitForMessageAsync(_wait);
        Assert.Equal(Wire, Encoding.UTF8.GetString(message.RawData));
        Assert.Equal(".leading dot\r\n.\r\n..\r\nmiddle.\r\n.x\r\n", message.Text);
    }

    [Fact]
    public async Task Only_crlf_dot_crlf_ends_data_so_bare_lf_sequences_stay_in_the_record()
    {
        await using var server = SmtpTestServer.StartNew();
        await using var client = await RawSmtpClient.OpenDataAsync(server);

        // A smuggling attempt: "\n.\r\n" and "\r\n.\n" are not the end of the data.
        const string Wire = "a\n.\r\nMAIL FROM:<evil@x>\r\nb\r\n.\nc\r\n";
        Assert.StartsWith("250 ", await client.CommandAsync(Wire + "."));

        var message = await server.WaitForMessageAsync(_wait);
        Assert.Equal(Wire, Encoding.UTF8.GetString(message.RawData));
        // "\r\n.\nc" is a line starting with a dot, so that dot is transparency and goes.
        Assert.Equal("a\n.\r\nMAIL FROM:<evil@x>\r\nb\r\n\nc\r\n", message.Text);
        Assert.DoesNotContain("MAIL FROM:<evil@x>", server.Commands);
    }

    [Fact]
    public async Task Empty_message_and_non_utf8_bytes_are_recorded_exactly()
    {
        await using var server = SmtpTestServer.StartNew();
        await using var client = await RawSmtpClient.OpenDataAsync(server);
        Assert.StartsWith("250 ", await client.CommandAsync("."));

        await client.CommandAsync("MAIL FROM:<a@x>");
        await client.CommandAsync("RCPT TO:<b@x>");
        await client.CommandAsync("DATA");
        await client.SendAsync(new byte[] { 0xFF, 0xFE, 0x00, 0x80, (byte)'\r', (byte)'\n', (byte)'.', (byte)'\r', (byte)'\n' });
        Assert.StartsWith("250 ", await client.ReadReplyAsync());

        var messages = await server.WaitForMessagesAsync(2, _wait);
        Assert.Empty(messages[0].Data);
        Assert.Empty(messages[0].RawData);
        Assert.Equal(new byte[] { 0xFF, 0xFE, 0x00, 0x80, (byte)'\r', (byte)'\n' }, messages[1].Data);
    }

    [Fact]
    public async Task Data_split_in_many_small_writes_is_reassembled()
    {
        await using var server = SmtpTestServer.StartNew();
        await using var client = await RawSmtpClient.OpenDataAsync(server);

        var wire = "line one\r\n..two\r\nthree\r\n.\r\n";
        foreach (var piece in wire.Chunk(3))
        {
            await client.SendAsync(new string(piece));
        }

        Assert.StartsWith("250 ", await client.ReadReplyAsync());
        Assert.Equal("line one\r\n.two\r\nthree\r\n", (await server.WaitForMessageAsync(_wait)).Text);
    }

    [Fact]
    public async Task Bdat_chunks_are_read_exactly_and_joined()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@x>");
        await client.CommandAsync("RCPT TO:<b@x>");

        // Chunk bytes that look like commands or a DATA terminator are just data.
        await client.SendAsync("BDAT 13\r\nQUIT\r\n.\r\nab\r\nBDAT 6 LAST\r\nNOOP\r\n");
        Assert.Equal("250 2.0.0 13 bytes received", await client.ReadReplyAsync());
        Assert.StartsWith("250 2.0.0 Ok: queued as ", await client.ReadReplyAsync());
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));

        var message = await server.WaitForMessageAsync(_wait);
        Assert.True(message.ViaBdat);
        Assert.Equal("QUIT\r\n.\r\nab\r\nNOOP\r\n", message.Text);
        Assert.Equal(message.Data, message.RawData);
        Assert.DoesNotContain("QUIT", server.Commands);
    }

    [Fact]
    public async Task Bdat_zero_last_ends_the_message()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@x>");
        await client.CommandAsync("RCPT TO:<b@x>");

        await client.SendAsync("BDAT 3\r\nabc");
        await client.ReadReplyAsync();
        Assert.StartsWith("250 ", await client.CommandAsync("BDAT 0 LAST"));
        Assert.Equal("abc", (await server.WaitForMessageAsync(_wait)).Text);
    }

    [Fact]
    public async Task Bdat_without_chunking_offered_is_refused_and_data_after_bdat_too()
    {
        var options = new SmtpTestServerOptions();
        options.Extensions.Remove("CHUNKING");
        await using var server = SmtpTestServer.StartNew(options);
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@x>");
        await client.CommandAsync("RCPT TO:<b@x>");

        await client.SendAsync("BDAT 2 LAST\r\nhi");
        Assert.StartsWith("502 ", await client.ReadReplyAsync());
        Assert.StartsWith("501 ", await client.CommandAsync("BDAT many"));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task Message_over_the_size_limit_is_read_and_refused_with_552()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { MaxMessageBytes = 100 });
        await using var client = await RawSmtpClient.OpenDataAsync(server);

        Assert.StartsWith("552 5.3.4 ", await client.CommandAsync(new string('x', 300) + "\r\n."));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task Bdat_chunks_over_the_size_limit_are_read_and_refused_with_552()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { MaxMessageBytes = 100 });
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@x>");
        await client.CommandAsync("RCPT TO:<b@x>");

        await client.SendAsync("BDAT 60\r\n" + new string('x', 60));
        Assert.StartsWith("250 ", await client.ReadReplyAsync());
        await client.SendAsync("BDAT 60 LAST\r\n" + new string('y', 60));
        Assert.StartsWith("552 5.3.4 ", await client.ReadReplyAsync());
        await client.CommandAsync("MAIL FROM:<a@x>");
        await client.CommandAsync("RCPT TO:<b@x>");
        await client.SendAsync("BDAT 3000 LAST\r\n" + new string('z', 3000));
        Assert.StartsWith("552 5.3.4 ", await client.ReadReplyAsync());

        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
        Assert.Empty(server.Messages);
    }
}
