using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AsyncSmtp.TestServer;
using static AsyncSmtp.Client.Tests.PrivateCa;

namespace AsyncSmtp.Client.Tests;

/// <summary>
/// Why a certificate is refused, in words and as classified reasons; what a session keeps of its TLS.
/// </summary>
public class CertificateTests
{
    [Fact]
    public async Task ACertificateFromATrustedCaValidatesAndItsFactsAreKeptAfterDisconnecting()
    {
        await using var server = Serve(Authority.Issue("localhost"));
        var options = Options(server);
        options.Credential = new NetworkCredential("alice", "secret");
        options.AuthMechanisms = new[] { SmtpAuthMechanism.Login };
        using var client = new SmtpClient(options);
        await client.ConnectAsync();
        Assert.True(client.Esmtp);
        Assert.Equal("LOGIN", client.AuthenticationMechanism);
        await client.QuitAsync();

        var tls = Assert.IsType<SmtpTlsDetails>(client.TlsDetails);
        Assert.True(tls.CertificateValid);
        Assert.Empty(tls.CertificateErrors);
        Assert.Equal(new[] { "localhost" }, tls.CertificateNames);
        Assert.NotNull(tls.Protocol);
        Assert.False(string.IsNullOrEmpty(tls.CipherSuite));
        Assert.Equal(server.Certificate.Thumbprint, tls.Certificate!.Thumbprint);
        Assert.Equal(Authority.Certificate.Thumbprint, tls.Chain[tls.Chain.Count - 1].Thumbprint);
        Assert.False(client.Esmtp);
        Assert.Null(client.AuthenticationMechanism);
    }

    [Fact]
    public async Task AnExpiredCertificateSaysItExpiredAndWhen()
    {
        var notAfter = DateTimeOffset.UtcNow.AddDays(-3).AddHours(-1);
        await using var server = Serve(Authority.Issue("localhost", notAfter.AddYears(-1), notAfter));
        using var client = new SmtpClient(Options(server));
        var ex = await Assert.ThrowsAsync<SmtpTlsException>(() => client.ConnectAsync());
        Assert.Equal(new[] { SmtpCertificateError.Expired }, ex.CertificateErrors);
        Assert.Contains($"expired on {notAfter.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, 3 days ago (Expired)", ex.Message);
        Assert.Equal(SmtpTlsModeHint.None, ex.TlsModeHint);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ACertificateNotYetValidSaysFromWhen()
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(2);
        await using var server = Serve(Authority.Issue("localhost", notBefore, notBefore.AddYears(1)));
        using var client = new SmtpClient(Options(server));
        var ex = await Assert.ThrowsAsync<SmtpTlsException>(() => client.ConnectAsync());
        Assert.Equal(new[] { SmtpCertificateError.NotYetValid }, ex.CertificateErrors);
        Assert.Contains($"not valid before {notBefore.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC", ex.Message);
    }

    [Fact]
    public async Task AWrongNameSaysWhichNamesTheCertificateCarries()
    {
        await using var server = Serve(Authority.Issue("mail.other.test"));
        using var client = new SmtpClient(Options(server));
        var ex = await Assert.ThrowsAsync<SmtpTlsException>(() => client.ConnectAsync());
        Assert.Equal(new[] { SmtpCertificateError.NameMismatch }, ex.CertificateErrors);
        Assert.Contains("it is for mail.other.test, not 127.0.0.1 (NameMismatch)", ex.Message);
        Assert.Equal(new[] { "mail.other.test" }, ex.Details!.CertificateNames);
    }

    [Fact]
    public async Task ASelfSignedCertificateHasAnUntrustedRoot()
    {
        await using var server = SmtpTestServer.StartNew();
        var options = Options(server);
        options.TrustedRootCertificates = null;
        using var client = new SmtpClient(options);
        var ex = await Assert.ThrowsAsync<SmtpTlsException>(() => client.ConnectAsync());
        Assert.Equal(new[] { SmtpCertificateError.UntrustedRoot }, ex.CertificateErrors);
        Assert.Contains("not trusted", ex.Message);
    }

    [Fact]
    public async Task AMissingIntermediateIsAPartialChain()
    {
        var intermediate = Authority.CreateIntermediate();
        await using var server = Serve(intermediate.Issue("localhost"));
        using var client = new SmtpClient(Options(server));
        var ex = await Assert.ThrowsAsync<SmtpTlsException>(() => client.ConnectAsync());
        Assert.Contains(SmtpCertificateError.PartialChain, ex.CertificateErrors);
        Assert.Contains("(PartialChain)", ex.Message);
    }

    [Fact]
    public async Task SkippingTheCheckStillRecordsWhatWasSkipped()
    {
        var notAfter = DateTimeOffset.UtcNow.AddDays(-1);
        await using var server = Serve(Authority.Issue("localhost", notAfter.AddYears(-1), notAfter));
        var options = Options(server);
        options.SkipCertificateCheck = true;
        using var client = new SmtpClient(options);
        await client.ConnectAsync();
        Assert.True(client.IsEncrypted);
        Assert.Equal(new[] { SmtpCertificateError.Expired }, client.TlsDetails!.CertificateErrors);
        Assert.False(client.TlsDetails.CertificateValid);
    }

    [Fact]
    public async Task ImplicitTlsToAPlaintextPortHintsAtStartTls()
    {
        await using var server = SmtpTestServer.StartNew();
        var options = Options(server, SmtpTlsMode.Implicit);
        using var client = new SmtpClient(options);
        var ex = await Assert.ThrowsAsync<SmtpTlsException>(() => client.ConnectAsync());
        Assert.Equal(SmtpTlsModeHint.ExpectsStartTls, ex.TlsModeHint);
        Assert.Contains("this port expects STARTTLS", ex.Message);
    }

    [Fact]
    public async Task APlaintextClientOnAnImplicitTlsPortHintsAtImplicitTls()
    {
        await using var server = Serve(Authority.Issue("localhost"), implicitTls: true);
        var options = Options(server, SmtpTlsMode.Opportunistic);
        options.ConnectTimeout = TimeSpan.FromSeconds(1);
        using var client = new SmtpClient(options);
        var ex = await Assert.ThrowsAsync<SmtpConnectTimeoutException>(() => client.ConnectAsync());
        Assert.Equal(SmtpTlsModeHint.ExpectsImplicitTls, ex.TlsModeHint);
    }

    [Fact]
    public async Task HeloOnlyServersAreNotEsmtp()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { EhloSupported = false });
        using var client = new SmtpClient(Options(server, SmtpTlsMode.None));
        await client.ConnectAsync();
        Assert.False(client.Esmtp);
        Assert.Null(client.TlsDetails);
    }

    [Fact]
    public void NamesComeFromTheSubjectAlternativeNamesElseTheCommonName()
    {
        using var withSans = TestCertificate.Create();
        var details = SanNames(withSans);
        Assert.Equal(new[] { "localhost" }, details);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=legacy.example", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var commonNameOnly = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        Assert.Equal(new[] { "legacy.example" }, SanNames(commonNameOnly));
    }

    private static IReadOnlyList<string> SanNames(X509Certificate2 certificate) =>
        Internal.CertificateNameReader.DnsNames(certificate);
}
