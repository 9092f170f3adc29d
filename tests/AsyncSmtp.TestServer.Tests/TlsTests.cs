using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace AsyncSmtp.TestServer.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task Starttls_upgrades_the_connection_and_forgets_the_session_state()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO before");
        await client.CommandAsync("MAIL FROM:<a@x>");

        Assert.Equal("220 2.0.0 Ready to start TLS", await client.CommandAsync("STARTTLS"));
        await client.HandshakeAsync();

        Assert.StartsWith("503 ", await client.CommandAsync("MAIL FROM:<a@x>"));
        var ehlo = await client.CommandAsync("EHLO after");
        Assert.DoesNotContain("STARTTLS", ehlo);
        Assert.StartsWith("554 5.5.1 ", await client.CommandAsync("STARTTLS"));
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@x>"));
        await client.CommandAsync("RCPT TO:<b@x>");
        await client.CommandAsync("DATA");
        await client.CommandAsync("secret\r\n.");

        var message = await server.WaitForMessageAsync(TimeSpan.FromSeconds(10));
        Assert.True(message.IsEncrypted);
        var session = Assert.Single(server.Sessions);
        Assert.True(session.IsEncrypted);
        Assert.NotNull(session.TlsProtocol);
        Assert.Equal("after", session.ClientName);
        Assert.Equal(0, session.BytesDiscardedAtStartTls);
    }

    [Fact]
    public async Task Bytes_pipelined_after_starttls_are_discarded_and_counted()
    {
        await using var server = SmtpTestServer.StartNew();
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;
        await client.CommandAsync("EHLO c");

        await client.SendAsync("STARTTLS\r\nMAIL FROM:<injected@x>\r\n");
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        await client.HandshakeAsync();

        Assert.StartsWith("250", await client.CommandAsync("EHLO c"));
        Assert.Equal("MAIL FROM:<injected@x>\r\n".Length, Assert.Single(server.Sessions).BytesDiscardedAtStartTls);
        Assert.DoesNotContain("MAIL FROM:<injected@x>", server.Commands);
    }

    [Fact]
    public async Task Starttls_not_offered_is_refused_and_not_advertised()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { OfferStartTls = false });
        var (client, _) = await RawSmtpClient.ConnectAndGreetAsync(server);
        await using var __ = client;

        Assert.DoesNotContain("STARTTLS", await client.CommandAsync("EHLO c"));
        Assert.StartsWith("502 ", await client.CommandAsync("STARTTLS"));
    }

    [Fact]
    public async Task Implicit_tls_greets_over_tls_and_never_offers_starttls()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { ImplicitTls = true });
        await using var client = await RawSmtpClient.ConnectAsync(server, implicitTls: true);

        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        Assert.DoesNotContain("STARTTLS", await client.CommandAsync("EHLO c"));
        Assert.True(Assert.Single(server.Sessions).IsEncrypted);
    }

    [Fact]
    public async Task Failed_handshake_ends_only_that_session_with_an_error()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { ImplicitTls = true });
        await using (var plain = await RawSmtpClient.ConnectAsync(server))
        {
            await plain.SendAsync("EHLO not-tls\r\n");
            Assert.True(await plain.IsClosedByServerAsync());
        }

        var failed = Assert.Single(server.Sessions);
        Assert.True(await failed.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        Assert.NotNull(failed.Error);

        await using var client = await RawSmtpClient.ConnectAsync(server, implicitTls: true);
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task A_certificate_for_another_name_can_be_served_for_mismatch_tests()
    {
        var now = DateTimeOffset.UtcNow;
        using var other = TestCertificate.Create("other.example", now.AddDays(-10), now.AddDays(-1));
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { ImplicitTls = true, Certificate = other });
        await using var client = await RawSmtpClient.ConnectAsync(server, implicitTls: true);

        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        Assert.Equal(other.Thumbprint, client.RemoteCertificate!.GetCertHashString());
        Assert.Equal("CN=other.example", other.Subject);
        Assert.Empty(other.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses());
    }

    [Fact]
    public void Certificate_is_a_localhost_certificate_with_its_private_key()
    {
        using var server = new SmtpTestServer();
        var certificate = server.Certificate;

        Assert.Equal("CN=localhost", certificate.Subject);
        Assert.True(certificate.HasPrivateKey);
        Assert.InRange(certificate.NotBefore, DateTime.Now.AddDays(-2), DateTime.Now);
        Assert.InRange(certificate.NotAfter, DateTime.Now.AddDays(360), DateTime.Now.AddDays(370));
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(new[] { "localhost" }, names.EnumerateDnsNames());
        Assert.Equal(new[] { IPAddress.Loopback, IPAddress.IPv6Loopback }, names.EnumerateIPAddresses());
        Assert.Equal(2048, certificate.GetRSAPublicKey()!.KeySize);
    }
}
