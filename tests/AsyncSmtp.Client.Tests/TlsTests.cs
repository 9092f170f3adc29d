using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AsyncSmtp.TestServer;

namespace AsyncSmtp.Client.Tests;

public class TlsTests
{
    private static SmtpClientOptions Options(SmtpTestServer server, SmtpTlsMode mode) => new()
    {
        Host = server.Host,
        Port = server.Port,
        TlsMode = mode,
        LocalHostName = "client.test",
        Timeout = TimeSpan.FromSeconds(20),
        ConnectTimeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task StartTlsUpgradesResetsStateAndExposesTheSession()
    {
        await using var server = SmtpTestServer.StartNew();
        var options = Options(server, SmtpTlsMode.StartTls);
        options.TrustedRootCertificates = new X509Certificate2Collection(server.Certificate);
        using var client = new SmtpClient(options);
        await client.ConnectAsync();
        Assert.True(client.IsEncrypted);
        Assert.NotNull(client.TlsProtocol);
        // The IANA name (TLS_...) that the net8.0 build reads from SslStream, not the algorithm fallback.
        Assert.StartsWith("TLS_", client.CipherSuite, StringComparison.Ordinal);
        Assert.Equal(server.Certificate.Thumbprint, client.RemoteCertificate!.Thumbprint);
        Assert.False(client.Extensions.Contains("STARTTLS"));
        // EHLO again after the handshake, and nothing sent in the gap before it.
        var session = Assert.Single(server.Sessions);
        Assert.Equal(2, session.Commands.Count(c => c.StartsWith("EHLO", StringComparison.Ordinal)));
        Assert.Equal(0, session.BytesDiscardedAtStartTls);
    }

    [Fact]
    public async Task AnUntrustedCertificateIsATlsErrorThatNamesTheCertificate()
    {
        await using var server = SmtpTestServer.StartNew();
        using var client = new SmtpClient(Options(server, SmtpTlsMode.StartTls));
        var ex = await Assert.ThrowsAsync<SmtpTlsException>(() => client.ConnectAsync());
        Assert.Contains("certificate", ex.Message);
        Assert.False(client.IsConnected);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheHostNameIsCheckedEvenWithACustomRoot()
    {
        await using var server = SmtpTestServer.StartNew();
        var options = Options(server, SmtpTlsMode.StartTls);
        options.TrustedRootCertificates = new X509Certificate2Collection(server.Certificate);
        options.TlsServerName = "mail.other.example";
        using var client = new SmtpClient(options);
        await Assert.ThrowsAsync<SmtpTlsException>(() => client.ConnectAsync());
    }

    [Fact]
    public async Task SkippingTheCheckAcceptsAnyCertificate()
    {
        await using var server = SmtpTestServer.StartNew();
        var options = Options(server, SmtpTlsMode.Opportunistic);
        options.SkipCertificateCheck = true;
        using var client = new SmtpClient(options);
        await client.ConnectAsync();
        Assert.True(client.IsEncrypted);
    }

    [Fact]
    public async Task ImplicitTlsEncryptsFromTheFirstByte()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { ImplicitTls = true, Users = { ["alice"] = "secret" } });
        var options = Options(server, SmtpTlsMode.Implicit);
        options.SkipCertificateCheck = true;
        options.Credential = new NetworkCredential("alice", "secret");
        using var client = new SmtpClient(options);
        await client.ConnectAsync();
        Assert.True(client.IsEncrypted);
        Assert.True(client.IsAuthenticated);
        var result = await client.SendAsync(new SmtpEnvelope("a@example.com", new SmtpRecipient[] { "b@example.com" }), SmtpContent.FromBytes("Subject: t\r\n\r\nhello\r\n"u8.ToArray()));
        var received = await server.WaitForMessageAsync(TimeSpan.FromSeconds(10));
        Assert.True(received.IsEncrypted);
        Assert.Equal("alice", received.AuthenticatedUser);
        Assert.Equal("Subject: t\r\n\r\nhello\r\n", received.Text);
        Assert.Equal(250, result.Response.Code);
    }

    [Fact]
    public async Task NoTlsModeNeverUpgrades()
    {
        await using var server = SmtpTestServer.StartNew();
        using var client = new SmtpClient(Options(server, SmtpTlsMode.None));
        await client.ConnectAsync();
        Assert.False(client.IsEncrypted);
        Assert.DoesNotContain(server.Commands, c => c == "STARTTLS");
    }

    [Fact]
    public async Task ARefusedOpportunisticUpgradeFailsInsteadOfFallingBack()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("STARTTLS").Reply("454 4.7.0 TLS not available");
        var options = Options(server, SmtpTlsMode.Opportunistic);
        options.SkipCertificateCheck = true;
        using var client = new SmtpClient(options);
        var ex = await Assert.ThrowsAsync<SmtpResponseException>(() => client.ConnectAsync());
        Assert.Equal(454, ex.Code);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task AuthenticatesWithEveryMechanismOverTls()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { RequireTlsForAuth = true, Users = { ["jürgen"] = "pässwörd" } });
        foreach (var mechanism in new[] { SmtpAuthMechanism.Plain, SmtpAuthMechanism.Login, SmtpAuthMechanism.CramMd5, SmtpAuthMechanism.XOAuth2 })
        {
            var options = Options(server, SmtpTlsMode.StartTls);
            options.SkipCertificateCheck = true;
            options.Credential = new NetworkCredential("jürgen", "pässwörd");
            options.AuthMechanisms = new[] { mechanism };
            using var client = new SmtpClient(options);
            await client.ConnectAsync();
            Assert.True(client.IsAuthenticated, mechanism.ToString());
            await client.QuitAsync();
        }
        var wrong = Options(server, SmtpTlsMode.StartTls);
        wrong.SkipCertificateCheck = true;
        wrong.Credential = new NetworkCredential("jürgen", "wrong");
        using var refused = new SmtpClient(wrong);
        await Assert.ThrowsAsync<SmtpAuthenticationException>(() => refused.ConnectAsync());
        Assert.False(refused.IsConnected);
    }

    [Fact]
    public async Task RepliesInjectedBeforeTheHandshakeAreDiscarded()
    {
        var certificate = TestCertificate.Shared;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serverTask = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var plain = new NetworkStream(socket, ownsSocket: true);
            await WriteAsync(plain, "220 hi\r\n");
            await ReadLineAsync(plain);
            await WriteAsync(plain, "250-x\r\n250 STARTTLS\r\n");
            await ReadLineAsync(plain);
            // A man in the middle appends a forged reply to the 220, in the same packet.
            await WriteAsync(plain, "220 go ahead\r\n250 forged\r\n");
            using var tls = new SslStream(plain);
            await tls.AuthenticateAsServerAsync(certificate);
            await ReadLineAsync(tls);
            await WriteAsync(tls, "250-x\r\n250 8BITMIME\r\n");
            await ReadLineAsync(tls);
            await WriteAsync(tls, "250 genuine\r\n");
            await ReadLineAsync(tls);
        });
        using var client = new SmtpClient(new SmtpClientOptions
        {
            Host = "127.0.0.1",
            Port = ((IPEndPoint)listener.LocalEndpoint).Port,
            SkipCertificateCheck = true,
            LocalHostName = "client.test",
        });
        await client.ConnectAsync();
        Assert.True(client.IsEncrypted);
        Assert.Equal("genuine", (await client.NoopAsync()).Message);
        client.Disconnect();
        await serverTask;
    }

    private static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>Reads one line byte by byte, so nothing after it is consumed (the TLS handshake follows).</summary>
    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            if (one[0] == '\n') break;
            line.Add(one[0]);
        }
        return System.Text.Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
    }
}
