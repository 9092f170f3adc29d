using System.Text;
using AsyncSmtp.Client.Tests.Support;

namespace AsyncSmtp.Client.Tests;

public class SubmitTests
{
    private static SmtpEnvelope Envelope(string recipient) => new("s@x", new SmtpRecipient[] { recipient });

    private static SmtpContent Text(string body) => SmtpContent.FromBytes(Encoding.ASCII.GetBytes(body));

    /// <summary>Answers the pipelined envelope of each message, then its end of data with "250 queued N".</summary>
    private static void Accept(ScriptedServerStream server, int count)
    {
        for (int i = 1; i <= count; i++)
            server.On($"RCPT TO:<r{i}@x>\r\nDATA\r\n", "250 ok\r\n250 ok\r\n354 go").On("\r\n.\r\n", $"250 queued {i}");
    }

    [Fact]
    public async Task TheFinalReplyIsReadWithTheNextMessagesEnvelope()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        Accept(server, 2);
        var first = await client.SubmitAsync(Envelope("r1@x"), Text("one"));
        Assert.False(first.Result.IsCompleted);
        Assert.False(first.EndOfDataWritten);
        int writesBefore = server.WriteSizes.Count;
        var second = await client.SubmitAsync(Envelope("r2@x"), Text("two"));
        Assert.Equal("queued 1", (await first.Result).Response.Message);
        Assert.True(first.EndOfDataWritten);
        Assert.False(second.Result.IsCompleted);
        // The first message's end and the second's envelope left in one write; the second's body is held in turn.
        Assert.Equal(1, server.WriteSizes.Count - writesBefore);
        Assert.EndsWith("one\r\n.\r\nMAIL FROM:<s@x> SIZE=5 BODY=8BITMIME\r\nRCPT TO:<r2@x>\r\nDATA\r\n", server.Written);
        await client.FlushAsync();
        Assert.Equal("queued 2", (await second.Result).Response.Message);
    }

    [Fact]
    public async Task AnyOtherCommandReadsThePendingReplyFirstSoNothingShifts()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        Accept(server, 1);
        server.On("NOOP\r\n", "250 2.0.0 noop ok").On("QUIT", "221 bye");
        var first = await client.SubmitAsync(Envelope("r1@x"), Text("one"));
        Assert.Equal("2.0.0 noop ok", (await client.NoopAsync()).Message);
        Assert.Equal("queued 1", (await first.Result).Response.Message);
        Assert.Equal(221, (await client.QuitAsync()).Code);
    }

    [Fact]
    public async Task ARefusedMessageFailsItsOwnResultOnly()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("RCPT TO:<r1@x>\r\nDATA\r\n", "250 ok\r\n250 ok\r\n354 go").On("\r\n.\r\n", "554 5.7.1 spam")
              .On("RCPT TO:<r2@x>\r\nDATA\r\n", "250 ok\r\n250 ok\r\n354 go").On("\r\n.\r\n", "250 queued 2");
        var first = await client.SubmitAsync(Envelope("r1@x"), Text("one"));
        var second = await client.SubmitAsync(Envelope("r2@x"), Text("two"));
        var ex = await Assert.ThrowsAsync<SmtpDataException>(() => first.Result);
        Assert.Equal("5.7.1", ex.EnhancedStatusCode);
        await client.FlushAsync();
        Assert.Equal(250, (await second.Result).Response.Code);
    }

    [Fact]
    public async Task FlushWaitsForTheVerdictAnotherCallerIsReading()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("RCPT TO:<r1@x>\r\nDATA\r\n", "250 ok\r\n250 ok\r\n354 go").SilentOn("\r\n.\r\n")
              .On("NOOP\r\n", "250 2.0.0 noop ok");
        var first = await client.SubmitAsync(Envelope("r1@x"), Text("one"));
        // A second pipeline on the same client: its NOOP sends the held end of data and waits for the reply.
        var noop = client.NoopAsync();
        Assert.True(first.EndOfDataWritten);
        var flush = client.FlushAsync();
        Assert.False(flush.IsCompleted);
        server.Send("250 queued 1\r\n");
        await flush;
        Assert.True(first.Result.IsCompleted);
        Assert.Equal("queued 1", (await first.Result).Response.Message);
        Assert.Equal("2.0.0 noop ok", (await noop).Message);
    }

    [Fact]
    public async Task ALostConnectionFailsThePendingMessage()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        server.On("DATA\r\n", "250 ok\r\n250 ok\r\n354 go").CloseOn("\r\n.\r\n");
        var first = await client.SubmitAsync(Envelope("r1@x"), Text("one"));
        await Assert.ThrowsAsync<SmtpServerDisconnectedException>(() => client.FlushAsync());
        // Its end of data had been written: the server may have the message.
        var uncertain = await Assert.ThrowsAsync<SmtpDeliveryUncertainException>(() => first.Result);
        Assert.IsType<SmtpServerDisconnectedException>(uncertain.InnerException);
        Assert.True(first.EndOfDataWritten);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task AMessageWhoseEndWasNeverWrittenIsNotSent()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        Accept(server, 1);
        var pending = await client.SubmitAsync(Envelope("r1@x"), Text("one"));
        client.Disconnect();
        var ex = await Assert.ThrowsAsync<SmtpServerDisconnectedException>(() => pending.Result);
        Assert.False(pending.EndOfDataWritten);
        Assert.Contains("not sent", ex.Message);
        Assert.DoesNotContain("\r\n.\r\n", server.Written);
    }

    [Fact]
    public async Task WithoutPipeliningTheResultIsAlreadyThere()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, Scripted.EhloNoPipelining);
        server.On("MAIL", "250 ok").On("RCPT", "250 ok").On("DATA", "354 go").On("\r\n.\r\n", "250 queued");
        var result = await client.SubmitAsync(Envelope("r1@x"), Text("one"));
        Assert.True(result.Result.IsCompletedSuccessfully);
        Assert.True(result.EndOfDataWritten);
    }

    [Fact]
    public async Task AnEnvelopeRefusalStillThrowsAtOnceAndTheConnectionGoesOn()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        Accept(server, 1);
        server.On("RCPT TO:<bad@x>\r\nDATA\r\n", "250 ok\r\n550 5.1.1 no\r\n554 no valid recipients").On("RSET", "250 ok");
        var first = await client.SubmitAsync(Envelope("r1@x"), Text("one"));
        await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => client.SubmitAsync(Envelope("bad@x"), Text("two")));
        Assert.Equal("queued 1", (await first.Result).Response.Message);
        Assert.True(client.IsConnected);
    }
}
