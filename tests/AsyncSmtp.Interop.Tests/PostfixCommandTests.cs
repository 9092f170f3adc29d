using AsyncSmtp.Client;

namespace AsyncSmtp.Interop.Tests;

/// <summary>postfix: the single-verb commands and the connection life cycle.</summary>
public sealed class PostfixCommandTests : InteropTest
{
    private static InteropServer Postfix => InteropServer.Get(InteropServer.Postfix, "postfix");

    [PostfixFact]
    public async Task Vrfy_Noop_Rset_AreAnswered()
    {
        using var client = new SmtpClient(Postfix.Options());
        await client.ConnectAsync(Timeout);

        var vrfy = await client.VrfyAsync("someone@example.test", Timeout);
        var noop = await client.NoopAsync(Timeout);
        var rset = await client.RsetAsync(Timeout);

        // postfix cannot verify virtual mailboxes, so it answers 252 ("will accept and try").
        Assert.Equal(252, vrfy.Code);
        Assert.Equal("2.0.0", vrfy.EnhancedStatusCode);
        Assert.Equal(250, noop.Code);
        Assert.Equal(250, rset.Code);
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Help_IsNotImplementedByPostfix_SoItIsARefusal()
    {
        using var client = new SmtpClient(Postfix.Options());
        await client.ConnectAsync(Timeout);

        var error = await Assert.ThrowsAsync<SmtpResponseException>(() => client.HelpAsync(cancellationToken: Timeout));

        // postfix has no HELP: "500 5.5.2 Error: command not recognized".
        Assert.Equal(500, error.Code);
        Assert.True(client.IsConnected);
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task RawCommand_ReturnsRefusalsAsReplies()
    {
        using var client = new SmtpClient(Postfix.Options());
        await client.ConnectAsync(Timeout);

        var unknown = await client.ExecuteAsync("XYZZY", Timeout);
        var noop = await client.ExecuteAsync("NOOP", Timeout);

        Assert.Equal(500, unknown.Code);
        Assert.False(unknown.IsSuccess);
        Assert.Equal(250, noop.Code);
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Quit_ClosesAndTheClientCanConnectAgain()
    {
        using var client = new SmtpClient(Postfix.Options());
        await client.ConnectAsync(Timeout);

        var quit = await client.QuitAsync(Timeout);

        Assert.Equal(221, quit.Code);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<SmtpNotConnectedException>(() => client.NoopAsync(Timeout));
        await client.ConnectAsync(Timeout);
        Assert.True(client.IsEncrypted);
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task ConnectTwice_IsAnError()
    {
        using var client = new SmtpClient(Postfix.Options());
        await client.ConnectAsync(Timeout);

        await Assert.ThrowsAsync<SmtpAlreadyConnectedException>(() => client.ConnectAsync(Timeout));

        Assert.True(client.IsConnected);
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task ManyClientsInParallel_AllDeliver()
    {
        var messages = Enumerable.Range(0, 8).Select(i => TestMessage.Create("alice@example.test", $"parallel{i}@example.test", $"Client {i}.\r\n")).ToArray();

        await Task.WhenAll(messages.Select(async (message, i) =>
        {
            using var client = new SmtpClient(Postfix.Options(credential: Postfix.Credential));
            await client.ConnectAsync(Timeout);
            await client.SendAsync(new SmtpEnvelope("alice@example.test", new SmtpRecipient[] { $"parallel{i}@example.test" }), SmtpContent.FromBytes(message.Bytes), cancellationToken: Timeout);
            await client.QuitAsync(Timeout);
        }));

        for (int i = 0; i < messages.Length; i++)
            ByteAssert.EndsWith(TestMessage.ToUnixLineEndings(messages[i].Bytes), await PostfixMaildir.WaitForDeliveryAsync(Postfix, messages[i], $"parallel{i}@example.test"));
    }
}
