using System.Text;
using AsyncSmtp.Client.Internal;
using AsyncSmtp.Client.Tests.Support;

namespace AsyncSmtp.Client.Tests;

public class ReplyReaderTests
{
    private static async Task<SmtpResponse> ReadAsync(string raw, int chunkSize = int.MaxValue)
    {
        var stream = new ScriptedServerStream(greeting: "", chunkSize: chunkSize);
        stream.Send(Encoding.Latin1.GetBytes(raw));
        stream.Dispose(); // end of input after the scripted bytes
        return await new ReplyReader(stream).ReadAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ReadsASingleLineReply()
    {
        var reply = await ReadAsync("250 OK\r\n");
        Assert.Equal(250, reply.Code);
        Assert.Equal(new[] { "OK" }, reply.Lines);
        Assert.True(reply.IsSuccess);
    }

    [Fact]
    public async Task ReadsAMultiLineReplyAndItsEnhancedCode()
    {
        var reply = await ReadAsync("550-5.1.1 No such user\r\n550 5.1.1 Try again\r\n");
        Assert.Equal(550, reply.Code);
        Assert.Equal(2, reply.Lines.Count);
        Assert.Equal("5.1.1", reply.EnhancedStatusCode);
        Assert.Equal("5.1.1 No such user\n5.1.1 Try again", reply.Message);
    }

    [Theory]
    [InlineData("250\r\n", 250, "")]
    [InlineData("250 \r\n", 250, "")]
    [InlineData("221 bye\n", 221, "bye")]
    public async Task AcceptsBareCodesAndBareLineFeeds(string raw, int code, string text)
    {
        var reply = await ReadAsync(raw);
        Assert.Equal(code, reply.Code);
        Assert.Equal(text, reply.Message);
    }

    [Fact]
    public async Task GivesTheSameReplyWhateverTheChunking()
    {
        const string Raw = "250-test.example greets you\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 2.0.0 AUTH PLAIN\r\n";
        var whole = await ReadAsync(Raw);
        for (int chunk = 1; chunk <= Raw.Length; chunk++)
        {
            var split = await ReadAsync(Raw, chunk);
            Assert.Equal(whole.Code, split.Code);
            Assert.Equal(whole.Lines, split.Lines);
        }
    }

    [Fact]
    public async Task ReadsConsecutiveRepliesFromOneBuffer()
    {
        var stream = new ScriptedServerStream(greeting: "250 one\r\n354 two\r\n250 three\r\n");
        var reader = new ReplyReader(stream);
        Assert.Equal(250, (await reader.ReadAsync(default)).Code);
        Assert.True(reader.HasBufferedData);
        Assert.Equal(354, (await reader.ReadAsync(default)).Code);
        Assert.Equal(250, (await reader.ReadAsync(default)).Code);
        Assert.False(reader.HasBufferedData);
    }

    [Fact]
    public async Task HandsOutARepeatedSingleLineReplyAgainButNeverAnotherOne()
    {
        // Four messages' replies as a pipelining server sends them: a queue id that changes, then three that repeat.
        var raw = new StringBuilder();
        for (var i = 0; i < 4; i++)
            raw.Append($"250 2.0.0 Ok: queued as Q{i}\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data\r\n");
        raw.Append("250-2.1.0 Ok\r\n250 2.1.0 Ok\r\n250 2.1.0 Ok\r\n250 2.1.0 Ok\r\n");
        var stream = new ScriptedServerStream(greeting: "");
        stream.Send(Encoding.ASCII.GetBytes(raw.ToString()));
        stream.Dispose();
        var logged = new List<string>();
        var reader = new ReplyReader(stream) { LineObserver = (b, o, n) => logged.Add(Encoding.ASCII.GetString(b, o, n)) };
        var replies = new List<SmtpResponse>();
        for (var i = 0; i < 19; i++) replies.Add(await reader.ReadAsync(CancellationToken.None));

        for (var m = 1; m < 4; m++)
        {
            Assert.NotSame(replies[0], replies[4 * m]);
            Assert.Equal($"2.0.0 Ok: queued as Q{m}", replies[4 * m].Message);
            for (var r = 1; r < 4; r++) Assert.Same(replies[r], replies[4 * m + r]);
        }
        Assert.Equal("2.1.5 Ok", replies[2].Message);
        Assert.Equal(354, replies[3].Code);
        // A multi-line reply is its own, and so is the single line after it (the same text as before, also shared).
        Assert.Equal(2, replies[16].Lines.Count);
        Assert.NotSame(replies[1], replies[16]);
        Assert.Same(replies[1], replies[17]);
        Assert.Same(replies[1], replies[18]);
        // Every line still reaches the protocol log.
        Assert.Equal(20, logged.Count);
    }

    [Fact]
    public async Task AcceptsALineOf8192BytesAndRefuses8193()
    {
        string ok = "250 " + new string('a', 8192 - 6) + "\r\n";
        Assert.Equal(8192, ok.Length);
        Assert.Equal(250, (await ReadAsync(ok)).Code);
        string tooLong = "250 " + new string('a', 8192 - 5) + "\r\n";
        await Assert.ThrowsAsync<SmtpProtocolException>(() => ReadAsync(tooLong));
        await Assert.ThrowsAsync<SmtpProtocolException>(() => ReadAsync(tooLong, chunkSize: 7));
    }

    [Fact]
    public async Task RefusesAReplyOver32KiB()
    {
        var lines = new StringBuilder();
        for (int i = 0; i < 40; i++) lines.Append("250-").Append(new string('x', 1000)).Append("\r\n");
        lines.Append("250 end\r\n");
        await Assert.ThrowsAsync<SmtpProtocolException>(() => ReadAsync(lines.ToString()));
    }

    [Theory]
    [InlineData("abc hello\r\n")]
    [InlineData("25\r\n")]
    [InlineData("2x0 hello\r\n")]
    [InlineData("250*hello\r\n")]
    [InlineData("099 hello\r\n")]
    [InlineData("600 hello\r\n")]
    [InlineData("250-first\r\n550 second\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\n")]
    public async Task RefusesMalformedReplies(string raw)
    {
        await Assert.ThrowsAsync<SmtpProtocolException>(() => ReadAsync(raw));
    }

    [Fact]
    public async Task DecodesNonUtf8BytesWithoutFailing()
    {
        var stream = new ScriptedServerStream(greeting: "");
        stream.Send(new byte[] { (byte)'2', (byte)'5', (byte)'0', (byte)' ', 0xff, 0xfe, (byte)'o', (byte)'k', 13, 10 });
        var reply = await new ReplyReader(stream).ReadAsync(default);
        Assert.Equal(250, reply.Code);
        Assert.EndsWith("ok", reply.Message);
    }

    [Fact]
    public async Task EndOfStreamInsideAReplyIsReported()
    {
        await Assert.ThrowsAsync<EndOfStreamException>(() => ReadAsync("250-first\r\n250 sec"));
        await Assert.ThrowsAsync<EndOfStreamException>(() => ReadAsync(""));
    }

    [Fact]
    public async Task DiscardDropsBufferedBytes()
    {
        var stream = new ScriptedServerStream(greeting: "220 go ahead\r\n250 injected\r\n");
        var reader = new ReplyReader(stream);
        await reader.ReadAsync(default);
        Assert.True(reader.HasBufferedData);
        Assert.True(reader.DiscardBuffered() > 0);
        Assert.False(reader.HasBufferedData);
    }
}
