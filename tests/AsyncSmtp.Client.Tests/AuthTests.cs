using System.Net;
using AsyncSmtp.Client.Tests.Support;

namespace AsyncSmtp.Client.Tests;

public class AuthTests
{
    private static readonly NetworkCredential Alice = new("alice", "s3cret-pässword");

    private static Task<SmtpClient> ConnectAsync(ScriptedServerStream server, string ehlo = Scripted.Ehlo, List<SmtpLogEntry>? log = null) =>
        Scripted.ConnectedAsync(server, ehlo, o =>
        {
            o.AllowUnencryptedAuthentication = true;
            if (log is not null) o.ProtocolLogger = e => { lock (log) log.Add(e); };
        });

    [Fact]
    public async Task PlainSendsTheInitialResponseAndTheLogHidesIt()
    {
        var log = new List<SmtpLogEntry>();
        var server = new ScriptedServerStream();
        using var client = await ConnectAsync(server, log: log);
        server.On("AUTH PLAIN ", "235 2.7.0 ok");
        var reply = await client.AuthenticateAsync(Alice, new[] { SmtpAuthMechanism.Plain });
        Assert.Equal(235, reply.Code);
        Assert.Contains("AUTH PLAIN " + Internal.SaslPayloads.Plain("alice", "s3cret-pässword") + "\r\n", server.Written);
        Assert.True(client.IsAuthenticated);
        Assert.Equal("alice", client.AuthenticatedUserName);
        Assert.Contains(log, e => e.ToString() == "C: AUTH PLAIN ********");
        Assert.DoesNotContain(log, e => e.Text.Contains(Internal.SaslPayloads.Plain("alice", "s3cret-pässword")));
    }

    [Fact]
    public async Task PrefersCramMd5AndFallsBackOnRefusal()
    {
        var server = new ScriptedServerStream();
        using var client = await ConnectAsync(server);
        server.On("AUTH CRAM-MD5\r\n", "334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+")
              .On("\r\n", "535 5.7.8 bad digest")
              .On("AUTH PLAIN ", "235 ok");
        await client.AuthenticateAsync(Alice);
        string written = server.Written;
        Assert.True(written.IndexOf("AUTH CRAM-MD5", StringComparison.Ordinal) < written.IndexOf("AUTH PLAIN", StringComparison.Ordinal));
        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task LoginAnswersThePasswordPrompt()
    {
        var server = new ScriptedServerStream();
        using var client = await ConnectAsync(server, "250-x\r\n250 AUTH LOGIN");
        server.On("AUTH LOGIN " + Internal.SaslPayloads.Base64("alice") + "\r\n", "334 UGFzc3dvcmQ6")
              .On(Internal.SaslPayloads.Base64("s3cret-pässword") + "\r\n", "235 welcome");
        Assert.Equal(235, (await client.AuthenticateAsync(Alice)).Code);
    }

    [Fact]
    public async Task EveryMechanismRefusedRaisesTheLastRefusalAndKeepsTheConnection()
    {
        var server = new ScriptedServerStream();
        using var client = await ConnectAsync(server, "250-x\r\n250 AUTH PLAIN LOGIN");
        server.On("AUTH PLAIN", "535 5.7.8 no")
              .On("AUTH LOGIN", "535 5.7.8 still no");
        var ex = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => client.AuthenticateAsync(Alice));
        Assert.Equal("LOGIN", ex.Mechanism);
        Assert.Equal("5.7.8", ex.EnhancedStatusCode);
        Assert.DoesNotContain("s3cret", ex.Message);
        Assert.True(client.IsConnected);
        Assert.False(client.IsAuthenticated);
    }

    [Fact]
    public async Task NoMechanismInCommonOrNoAuthIsNotSupported()
    {
        using var a = await ConnectAsync(new ScriptedServerStream(), "250-x\r\n250 AUTH GSSAPI");
        var ex = await Assert.ThrowsAsync<SmtpAuthenticationNotSupportedException>(() => a.AuthenticateAsync(Alice));
        Assert.Contains("GSSAPI", ex.Message);
        using var b = await ConnectAsync(new ScriptedServerStream(), "250 x");
        await Assert.ThrowsAsync<SmtpAuthenticationNotSupportedException>(() => b.AuthenticateAsync(Alice));
    }

    [Fact]
    public async Task XOAuth2AnswersAnErrorChallengeWithAnEmptyLine()
    {
        var server = new ScriptedServerStream();
        using var client = await ConnectAsync(server);
        server.On("AUTH XOAUTH2 " + Internal.SaslPayloads.XOAuth2("alice", "tok") + "\r\n", "334 eyJzdGF0dXMiOiI0MDEifQ==")
              .On("\r\n", "535 5.7.8 token expired");
        var ex = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => client.AuthenticateOAuth2Async("alice", "tok"));
        Assert.Equal(535, ex.Code);
        Assert.EndsWith("\r\n\r\n", server.Written);
    }
}
