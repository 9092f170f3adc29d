using System.Net;
using System.Text;
using AsyncSmtp.Client.Tests.Support;
using AsyncSmtp.TestServer;

namespace AsyncSmtp.Client.Tests;

public class AuthTests
{
    private static readonly NetworkCredential _alice = new("alice", "s3cret-pässword");

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

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
        var reply = await client.AuthenticateAsync(_alice, new[] { SmtpAuthMechanism.Plain });
        Assert.Equal(235, reply.Code);
        string written = Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(server.Written));
        Assert.Contains("AUTH PLAIN " + B64("\0alice\0s3cret-pässword") + "\r\n", written);
        Assert.True(client.IsAuthenticated);
        Assert.Equal("alice", client.AuthenticatedUserName);
        Assert.Equal("PLAIN", client.AuthenticationMechanism);
        Assert.Contains(log, e => e.ToString() == "C: AUTH PLAIN ********");
        Assert.DoesNotContain(log, e => e.Text.Contains(B64("\0alice\0s3cret-pässword")));
    }

    [Fact]
    public async Task LoginAnswersThePasswordPrompt()
    {
        var server = new ScriptedServerStream();
        using var client = await ConnectAsync(server, "250-x\r\n250 AUTH LOGIN");
        server.On("AUTH LOGIN " + B64("alice") + "\r\n", "334 UGFzc3dvcmQ6")
              .On(B64("s3cret-pässword") + "\r\n", "235 welcome");
        Assert.Equal(235, (await client.AuthenticateAsync(_alice)).Code);
    }

    /// <summary>Account lockout: one wrong password is one failed login on the wire, not one per mechanism.</summary>
    [Fact]
    public async Task AWrongPasswordIsOneAuthExchangeAndTheErrorNamesTheMechanismAndReply()
    {
        await using var server = StartServer("alice", "right", "SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN");
        using var client = TestServerClient(server, new NetworkCredential("alice", "wrong"));
        var ex = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => client.ConnectAsync());
        Assert.Single(server.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
        Assert.Equal(new[] { "SCRAM-SHA-256" }, ex.MechanismsTried);
        Assert.Equal(535, ex.Code);
        Assert.Contains("SCRAM-SHA-256: 535 5.7.8 Authentication credentials invalid", ex.Message);
        Assert.DoesNotContain("wrong", ex.Message);
    }

    [Fact]
    public async Task ScramSha256IsPreferredAndVerifiesTheServer()
    {
        await using var server = StartServer("jürgen", "pässwörd", "PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256");
        using var client = TestServerClient(server, new NetworkCredential("jürgen", "pässwörd"));
        await client.ConnectAsync();
        Assert.Equal("SCRAM-SHA-256", client.AuthenticationMechanism);
        Assert.Equal("jürgen", Assert.Single(server.Sessions).AuthenticatedUser);
        var auth = Assert.Single(server.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal)).Split(' ');
        Assert.Equal("SCRAM-SHA-256", auth[1]);
        Assert.StartsWith("n,,n=jürgen,r=", Encoding.UTF8.GetString(Convert.FromBase64String(auth[2])));
    }

    [Fact]
    public async Task ScramSha1WhenAsked()
    {
        await using var server = StartServer("alice", "s3cret", "SCRAM-SHA-256 SCRAM-SHA-1");
        var credential = new NetworkCredential("alice", "s3cret");
        using var client = TestServerClient(server, credential, SmtpAuthMechanism.ScramSha1);
        await client.ConnectAsync();
        Assert.Equal("SCRAM-SHA-1", client.AuthenticationMechanism);
    }

    [Fact]
    public async Task AServerSignatureThatDoesNotVerifyFailsTheLoginAndClosesTheConnection()
    {
        await using var server = StartServer("alice", "s3cret", "SCRAM-SHA-256 PLAIN", forgeScramSignature: true);
        using var client = TestServerClient(server, new NetworkCredential("alice", "s3cret"));
        var ex = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => client.ConnectAsync());
        Assert.Contains("signature does not verify", ex.Message);
        Assert.False(client.IsConnected);
        Assert.False(client.IsAuthenticated);
        // Never a fallback that would hand the password itself (PLAIN) to a server that failed to prove itself.
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("AUTH PLAIN", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("504 5.5.4 Unrecognized authentication type")]
    [InlineData("534 5.7.9 Authentication mechanism is too weak")]
    [InlineData("538 5.7.11 Encryption required for requested authentication mechanism")]
    public async Task AnUnusableMechanismFallsBackToTheNextAndBothAreNamed(string refusal)
    {
        var server = new ScriptedServerStream();
        using var client = await ConnectAsync(server, "250-x\r\n250 AUTH CRAM-MD5 PLAIN");
        server.On("AUTH CRAM-MD5\r\n", refusal)
              .On("AUTH PLAIN ", "535 5.7.8 no");
        var ex = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => client.AuthenticateAsync(_alice));
        Assert.Equal(new[] { "CRAM-MD5", "PLAIN" }, ex.MechanismsTried);
        Assert.Contains("CRAM-MD5: " + refusal, ex.Message);
        Assert.Contains("PLAIN: 535 5.7.8 no", ex.Message);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task AMechanismThatFailsLocallyIsCancelledAndTheNextTried()
    {
        var server = new ScriptedServerStream();
        using var client = await ConnectAsync(server, "250-x\r\n250 AUTH CRAM-MD5 PLAIN");
        server.On("AUTH CRAM-MD5\r\n", "334 not base64!")
              .On("*\r\n", "501 5.7.0 cancelled")
              .On("AUTH PLAIN ", "235 ok");
        await client.AuthenticateAsync(_alice);
        Assert.Equal("PLAIN", client.AuthenticationMechanism);
    }

    [Fact]
    public async Task NoMechanismInCommonOrNoAuthIsNotSupported()
    {
        using var a = await ConnectAsync(new ScriptedServerStream(), "250-x\r\n250 AUTH GSSAPI");
        var ex = await Assert.ThrowsAsync<SmtpAuthenticationNotSupportedException>(() => a.AuthenticateAsync(_alice));
        Assert.Contains("GSSAPI", ex.Message);
        using var b = await ConnectAsync(new ScriptedServerStream(), "250 x");
        await Assert.ThrowsAsync<SmtpAuthenticationNotSupportedException>(() => b.AuthenticateAsync(_alice));
        // A token alone never goes to a password mechanism.
        using var c = await ConnectAsync(new ScriptedServerStream(), "250-x\r\n250 AUTH PLAIN LOGIN");
        await Assert.ThrowsAsync<SmtpAuthenticationNotSupportedException>(
            () => c.AuthenticateAsync("alice", _ => Task.FromResult("tok")));
    }

    [Fact]
    public async Task XOAuth2AnswersAnErrorChallengeWithAnEmptyLine()
    {
        var server = new ScriptedServerStream();
        using var client = await ConnectAsync(server);
        string xoauth2 = B64("user=alice\u0001auth=Bearer tok\u0001\u0001");
        server.On("AUTH XOAUTH2 " + xoauth2 + "\r\n", "334 eyJzdGF0dXMiOiI0MDEifQ==")
              .On("\r\n", "535 5.7.8 token expired");
        var ex = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => client.AuthenticateOAuth2Async("alice", "tok"));
        Assert.Equal(535, ex.Code);
        Assert.EndsWith("\r\n\r\n", server.Written);
    }

    /// <summary>OAUTHBEARER is preferred with a token; XOAUTH2 when it is all the server offers. Exact bytes.</summary>
    [Theory]
    [InlineData("PLAIN XOAUTH2 OAUTHBEARER", "OAUTHBEARER",
        "n,a=alice@example.test,\u0001auth=Bearer tok-1\u0001\u0001")]
    [InlineData("PLAIN LOGIN CRAM-MD5 XOAUTH2", "XOAUTH2",
        "user=alice@example.test\u0001auth=Bearer tok-1\u0001\u0001")]
    public async Task ATokenGoesByTheBearerMechanismWithTheExactBytes(string offered, string mechanism, string payload)
    {
        await using var server = StartServer("alice@example.test", "tok-1", offered);
        using var client = TestServerClient(server, tokenProvider: _ => Task.FromResult("tok-1"));
        await client.ConnectAsync();
        Assert.Equal(mechanism, client.AuthenticationMechanism);
        Assert.Contains($"AUTH {mechanism} {B64(payload)}", server.Commands);
    }

    [Theory]
    [InlineData("XOAUTH2", "")]
    [InlineData("OAUTHBEARER", "AQ==")]
    public async Task AnExpiredTokenIsRefreshedOnceAndTheNewOneAccepted(string mechanism, string acknowledgement)
    {
        await using var server = StartServer("alice@example.test", "fresh", mechanism);
        var tokens = new Queue<string>(new[] { "expired", "fresh" });
        using var client = TestServerClient(server, tokenProvider: _ => Task.FromResult(tokens.Dequeue()));
        await client.ConnectAsync();
        Assert.True(client.IsAuthenticated);
        Assert.Empty(tokens);
        var commands = server.Commands.SkipWhile(c => !c.StartsWith("AUTH", StringComparison.Ordinal)).Take(3).ToList();
        Assert.Contains("Bearer expired", Encoding.UTF8.GetString(Convert.FromBase64String(commands[0].Split(' ')[2])));
        Assert.Equal(acknowledgement, commands[1]);
        Assert.Contains("Bearer fresh", Encoding.UTF8.GetString(Convert.FromBase64String(commands[2].Split(' ')[2])));
    }

    [Fact]
    public async Task TheSameTokenAgainIsNotRetried()
    {
        await using var server = StartServer("alice@example.test", "other", "PLAIN LOGIN CRAM-MD5 XOAUTH2");
        int calls = 0;
        using var client = TestServerClient(server, tokenProvider: _ => { calls++; return Task.FromResult("static"); });
        var ex = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => client.ConnectAsync());
        Assert.Equal(2, calls);
        Assert.Single(server.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
        Assert.Contains("XOAUTH2: 535", ex.Message);
    }

    [Fact]
    public async Task AnExpiredJwtIsRefusedBeforeAnythingIsSent()
    {
        await using var server = StartServer("alice@example.test", "x", "PLAIN LOGIN CRAM-MD5 XOAUTH2");
        string expired = Jwt.Entra(expires: DateTimeOffset.UtcNow.AddMinutes(-5));
        using var client = TestServerClient(server, tokenProvider: _ => Task.FromResult(expired));
        var ex = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => client.ConnectAsync());
        Assert.Contains("expired", ex.Message);
        Assert.NotNull(ex.RecommendedAction);
        Assert.Empty(ex.MechanismsTried);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
        Assert.DoesNotContain(expired, ex.Message + ex.RecommendedAction);
    }

    private static SmtpTestServer StartServer(string user, string secret, string mechanisms,
        bool forgeScramSignature = false) =>
        SmtpTestServer.StartNew(new SmtpTestServerOptions
        {
            Users = { [user] = secret },
            Extensions = new List<string> { "ENHANCEDSTATUSCODES", "AUTH " + mechanisms },
            ForgeScramSignature = forgeScramSignature,
        });

    private static SmtpClient TestServerClient(SmtpTestServer server, NetworkCredential? credential = null,
        SmtpAuthMechanism? mechanism = null, Func<CancellationToken, Task<string>>? tokenProvider = null) =>
        new(new SmtpClientOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            TlsMode = SmtpTlsMode.None,
            LocalHostName = "client.test",
            AllowUnencryptedAuthentication = true,
            Credential = credential ?? new NetworkCredential("alice@example.test", string.Empty),
            OAuthTokenProvider = tokenProvider,
            AuthMechanisms = mechanism is { } m ? new[] { m } : null,
            Timeout = TimeSpan.FromSeconds(20),
            ConnectTimeout = TimeSpan.FromSeconds(20),
        });
}
