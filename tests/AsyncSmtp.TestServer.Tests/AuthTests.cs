using System.Security.Cryptography;
using System.Text;

namespace AsyncSmtp.TestServer.Tests;

public sealed class AuthTests
{
    private static SmtpTestServerOptions WithAlice(bool requireTls = false) => new()
    {
        Users = { ["alice"] = "s3cret" },
        RequireTlsForAuth = requireTls,
    };

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Plain_with_initial_response_authenticates_and_is_recorded_as_sent()
    {
        await using var server = SmtpTestServer.StartNew(WithAlice());
        await using var client = await GreetedAsync(server);

        var payload = B64("\0alice\0s3cret");
        Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync("AUTH PLAIN " + payload));
        Assert.StartsWith("503 ", await client.CommandAsync("AUTH PLAIN " + payload));

        Assert.Contains("AUTH PLAIN " + payload, server.Commands);
        Assert.Equal("alice", Assert.Single(server.Sessions).AuthenticatedUser);
        await client.CommandAsync("MAIL FROM:<a@x>");
        await client.CommandAsync("RCPT TO:<b@x>");
        await client.CommandAsync("DATA");
        await client.CommandAsync("x\r\n.");
        Assert.Equal("alice", (await server.WaitForMessageAsync(TimeSpan.FromSeconds(10))).AuthenticatedUser);
    }

    [Fact]
    public async Task Plain_after_an_empty_challenge_checks_the_password()
    {
        await using var server = SmtpTestServer.StartNew(WithAlice());
        await using var client = await GreetedAsync(server);

        Assert.Equal("334 ", await client.CommandAsync("AUTH PLAIN"));
        Assert.Equal("535 5.7.8 Authentication credentials invalid", await client.CommandAsync(B64("\0alice\0wrong")));
        Assert.Equal("334 ", await client.CommandAsync("AUTH PLAIN"));
        Assert.StartsWith("501 ", await client.CommandAsync("*"));
        Assert.Equal("334 ", await client.CommandAsync("AUTH PLAIN"));
        Assert.StartsWith("235 ", await client.CommandAsync(B64("\0alice\0s3cret")));
        Assert.Contains(B64("\0alice\0wrong"), server.Commands);
    }

    [Fact]
    public async Task Login_asks_for_user_then_password()
    {
        await using var server = SmtpTestServer.StartNew(WithAlice());
        await using var client = await GreetedAsync(server);

        Assert.Equal("334 VXNlcm5hbWU6", await client.CommandAsync("AUTH LOGIN"));
        Assert.Equal("334 UGFzc3dvcmQ6", await client.CommandAsync(B64("alice")));
        Assert.StartsWith("535 ", await client.CommandAsync(B64("nope")));

        Assert.Equal("334 UGFzc3dvcmQ6", await client.CommandAsync("AUTH LOGIN " + B64("alice")));
        Assert.StartsWith("235 ", await client.CommandAsync(B64("s3cret")));
        Assert.Equal("alice", Assert.Single(server.Sessions).AuthenticatedUser);
    }

    [Theory]
    [InlineData("s3cret", "235 ")]
    [InlineData("wrong", "535 ")]
    public async Task Cram_md5_verifies_the_digest_of_the_challenge(string password, string expected)
    {
        await using var server = SmtpTestServer.StartNew(WithAlice());
        await using var client = await GreetedAsync(server);

        var challenge = await client.CommandAsync("AUTH CRAM-MD5");
        Assert.StartsWith("334 ", challenge);
        var decoded = Convert.FromBase64String(challenge[4..]);
        Assert.Matches("^<[0-9]+\\.[0-9]+@localhost>$", Encoding.ASCII.GetString(decoded));

        var digest = Convert.ToHexStringLower(HMACMD5.HashData(Encoding.UTF8.GetBytes(password), decoded));
        Assert.StartsWith(expected, await client.CommandAsync(B64("alice " + digest)));
    }

    [Fact]
    public async Task Xoauth2_accepts_the_token_and_answers_a_bad_one_with_a_json_challenge_then_535()
    {
        await using var server = SmtpTestServer.StartNew(WithAlice());
        await using var client = await GreetedAsync(server);

        var challenge = await client.CommandAsync("AUTH XOAUTH2 " + B64("user=alice\u0001auth=Bearer expired\u0001\u0001"));
        Assert.StartsWith("334 ", challenge);
        Assert.Contains("\"status\":\"401\"", Encoding.UTF8.GetString(Convert.FromBase64String(challenge[4..])));
        Assert.StartsWith("535 5.7.8 ", await client.CommandAsync(string.Empty));

        Assert.StartsWith("235 ", await client.CommandAsync("AUTH XOAUTH2 " + B64("user=alice\u0001auth=Bearer s3cret\u0001\u0001")));
    }

    [Fact]
    public async Task Auth_is_refused_for_bad_mechanisms_and_bad_base64()
    {
        var options = WithAlice();
        options.Extensions[options.Extensions.IndexOf("AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2")] = "AUTH PLAIN";
        await using var server = SmtpTestServer.StartNew(options);
        await using var client = await GreetedAsync(server);

        Assert.StartsWith("504 ", await client.CommandAsync("AUTH LOGIN"));
        Assert.StartsWith("504 ", await client.CommandAsync("AUTH GSSAPI"));
        Assert.StartsWith("501 5.5.2 ", await client.CommandAsync("AUTH PLAIN %%%"));
    }

    [Fact]
    public async Task Require_tls_for_auth_hides_auth_and_answers_538_until_tls()
    {
        await using var server = SmtpTestServer.StartNew(WithAlice(requireTls: true));
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        Assert.DoesNotContain("AUTH", await client.CommandAsync("EHLO c"));
        Assert.StartsWith("538 5.7.11 ", await client.CommandAsync("AUTH PLAIN " + B64("\0alice\0s3cret")));

        await client.CommandAsync("STARTTLS");
        await client.HandshakeAsync();
        Assert.EndsWith("\n250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2", await client.CommandAsync("EHLO c"));
        Assert.StartsWith("235 ", await client.CommandAsync("AUTH PLAIN " + B64("\0alice\0s3cret")));
    }

    [Fact]
    public async Task Starttls_clears_authentication()
    {
        await using var server = SmtpTestServer.StartNew(WithAlice());
        await using var client = await GreetedAsync(server);
        await client.CommandAsync("AUTH PLAIN " + B64("\0alice\0s3cret"));

        await client.CommandAsync("STARTTLS");
        await client.HandshakeAsync();
        await client.CommandAsync("EHLO c");

        Assert.Null(Assert.Single(server.Sessions).AuthenticatedUser);
        Assert.StartsWith("235 ", await client.CommandAsync("AUTH PLAIN " + B64("\0alice\0s3cret")));
    }

    [Fact]
    public async Task OAuthBearer_accepts_only_the_exact_gs2_framing()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions
        {
            Users = { ["alice"] = "tok" },
            Extensions = new List<string> { "ENHANCEDSTATUSCODES", "AUTH OAUTHBEARER" },
        });
        await using var client = await GreetedAsync(server);

        // A missing comma after the user, a client that claims channel binding, a missing final ^A.
        string[] wrongs =
        {
            "n,a=alice\u0001auth=Bearer tok\u0001\u0001",
            "y,a=alice,\u0001auth=Bearer tok\u0001\u0001",
            "n,a=alice,\u0001auth=Bearer tok\u0001",
        };
        foreach (var wrong in wrongs)
        {
            Assert.StartsWith("334 ", await client.CommandAsync("AUTH OAUTHBEARER " + B64(wrong)));
            Assert.StartsWith("535 ", await client.CommandAsync("AQ=="));
        }

        var right = B64("n,a=alice,\u0001auth=Bearer tok\u0001\u0001");
        Assert.StartsWith("235 ", await client.CommandAsync("AUTH OAUTHBEARER " + right));
    }

    private static async Task<RawSmtpClient> GreetedAsync(SmtpTestServer server)
    {
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await client.CommandAsync("EHLO c");
        return client;
    }
}
