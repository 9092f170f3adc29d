using System.Text;
using AsyncSmtp.Client.Tests.Support;

namespace AsyncSmtp.Client.Tests;

/// <summary>Whatever a server sends, the client ends with a typed error (or a reply), never a hang or a stray exception.</summary>
public class GarbageTests
{
    [Fact]
    public async Task RandomBytesFromTheServerEndInATypedErrorOrAReply()
    {
        var random = new Random(20261128);
        for (int round = 0; round < 300; round++)
        {
            var bytes = new byte[random.Next(1, 600)];
            random.NextBytes(bytes);
            // Often valid-looking: a code and separator, then garbage, with line breaks sprinkled in.
            if (round % 2 == 0) Encoding.ASCII.GetBytes(random.Next(2) == 0 ? "250-" : "220 ").CopyTo(bytes, 0);
            for (int i = 0; i < bytes.Length; i += random.Next(1, 80)) bytes[i] = (byte)'\n';

            var server = new ScriptedServerStream(greeting: "", chunkSize: random.Next(1, 40));
            server.Send(bytes);
            server.Dispose();
            using var client = Scripted.Client(server, o => { o.ConnectTimeout = TimeSpan.FromSeconds(5); o.Timeout = TimeSpan.FromSeconds(5); });
            var connect = client.ConnectAsync();
            Assert.Same(connect, await Task.WhenAny(connect, Task.Delay(10_000)));
            if (connect.IsFaulted) Assert.IsAssignableFrom<SmtpException>(connect.Exception!.InnerException);
        }
    }

    [Theory]
    [InlineData("250 \u00e9t\u00e9\r\n")]
    [InlineData("250-\r\n250-\r\n250 \r\n")]
    [InlineData("\r\n")]
    [InlineData("250-only a continuation, then nothing")]
    public async Task OddRepliesToACommandAreTypedErrorsOrReplies(string reply)
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server, configure: o => o.Timeout = TimeSpan.FromSeconds(1));
        server.On("NOOP\r\n", reply);
        server.CloseOn("QUIT");
        var noop = client.NoopAsync();
        Assert.Same(noop, await Task.WhenAny(noop, Task.Delay(15_000)));
        if (noop.IsFaulted) Assert.IsAssignableFrom<SmtpException>(noop.Exception!.InnerException);
    }
}
