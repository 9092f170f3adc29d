using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AsyncSmtp.TestServer;
using static AsyncSmtp.Client.Tests.PrivateCa;

namespace AsyncSmtp.Client.Tests;

/// <summary>SmtpProbe: stage by stage, findings instead of exceptions, and never a message sent.</summary>
public class ProbeTests
{
    private static Task<SmtpProbeReport> Probe(SmtpClientOptions options, SmtpProbeOptions? probe = null) =>
        new SmtpProbe(options, probe ?? new SmtpProbeOptions()).RunAsync();

    /// <summary>The stages of a check that stops after EHLO (or needs no more): connect, greet, EHLO, QUIT.</summary>
    private static readonly SmtpProbeStage[] _shortCheck =
        { SmtpProbeStage.Connect, SmtpProbeStage.Greeting, SmtpProbeStage.Ehlo, SmtpProbeStage.Quit };

    private static SmtpProbeStage[] Stages(SmtpProbeReport report) => report.Timings.Select(t => t.Key).ToArray();

    [Fact]
    public async Task AFullCheckGoesStageByStageAndNeverSendsData()
    {
        await using var server = Serve();
        server.On("RCPT TO:<nobody@").Reply("550 5.1.1 No such user");
        var options = Options(server);
        options.Credential = new NetworkCredential("alice", "secret");
        var report = await Probe(options, new SmtpProbeOptions
        {
            Sender = "check@example.test",
            Recipients = new[] { "someone@example.test", "nobody@example.test" },
        });

        Assert.Null(report.Error);
        Assert.True(report.Passed);
        Assert.True(report.Reachable);
        Assert.Equal(IPAddress.Loopback, report.Address);
        Assert.Equal("localhost AsyncSmtp test server ESMTP", report.Greeting);
        Assert.Equal("localhost", report.ServerName);
        Assert.True(report.Esmtp);
        Assert.True(report.StartTlsOffered);
        Assert.Equal(SmtpTlsMode.StartTls, report.TlsMode);
        Assert.True(report.ExtensionsBeforeTls.Contains("STARTTLS"));
        Assert.False(report.Extensions.Contains("STARTTLS"));
        Assert.True(report.Tls!.CertificateValid);
        Assert.True(report.Authenticated);
        Assert.Equal("CRAM-MD5", report.AuthenticationMechanism);
        Assert.Equal(new[] { true, false }, report.RecipientResults.Select(r => r.Accepted));
        Assert.Equal(550, report.RecipientResults[1].Response.Code);
        Assert.Equal("5.1.1", report.RecipientResults[1].Response.EnhancedStatusCode);
        Assert.Equal(
            new[]
            {
                SmtpProbeStage.Connect, SmtpProbeStage.Greeting, SmtpProbeStage.Ehlo, SmtpProbeStage.StartTls,
                SmtpProbeStage.Auth, SmtpProbeStage.Mail, SmtpProbeStage.Rcpt, SmtpProbeStage.Quit,
            },
            Stages(report));
        var commands = server.Commands;
        Assert.DoesNotContain(commands, c => c.StartsWith("DATA", StringComparison.Ordinal));
        Assert.DoesNotContain(commands, c => c.StartsWith("BDAT", StringComparison.Ordinal));
        Assert.Equal(new[] { "RSET", "QUIT" }, commands.Skip(commands.Count - 2));
        Assert.Contains("MAIL FROM:<check@example.test>", commands);
    }

    [Fact]
    public async Task ABadCertificateIsAFindingAndTheCheckGoesOnWhenNothingSecretIsAtStake()
    {
        var notAfter = DateTimeOffset.UtcNow.AddDays(-10);
        await using var server = Serve(Authority.Issue("localhost", notAfter.AddYears(-1), notAfter));
        var report = await Probe(Options(server));
        Assert.Null(report.FailedStage);
        Assert.False(report.Passed);
        Assert.Equal(SmtpTlsMode.StartTls, report.TlsMode);
        Assert.Equal(new[] { SmtpCertificateError.Expired }, report.Tls!.CertificateErrors);
        Assert.NotNull(report.Tls.Protocol);
        Assert.True(report.Extensions.Contains("AUTH"));
    }

    /// <summary>
    /// A CA of its own for each revocation test: the platform keeps fetched CRLs on disk by issuer, and a
    /// list of another test's CA with the same name must not answer for this one.
    /// </summary>
    private static (SmtpClientOptions Options, SmtpTestServer Server) ServeWithCrl(TestCrlServer? crl,
        Func<TestCertificateAuthority, X509Certificate2, byte[]>? list, Uri? distributionPoint = null)
    {
        var authority = TestCertificateAuthority.Create($"AsyncSmtp Revocation Test CA {Guid.NewGuid():N}");
        var certificate = authority.Issue("localhost", distributionPoint ?? crl!.Url);
        if (crl is not null && list is not null) crl.Crl = list(authority, certificate);
        var server = Serve(certificate);
        var options = Options(server);
        options.TrustedRootCertificates = new X509Certificate2Collection(authority.Certificate);
        return (options, server);
    }

    [Fact]
    public async Task ARevokedCertificateIsAFindingAndNoLoginGoesOverIt()
    {
        using var crl = TestCrlServer.Start();
        var (options, server) = ServeWithCrl(crl, (ca, certificate) => ca.RevocationList(certificate));
        await using var _ = server;

        var report = await Probe(options);
        options.Credential = new NetworkCredential("alice", "secret");
        var login = await Probe(options);

        Assert.True(crl.Requests > 0);
        Assert.Equal(new[] { SmtpCertificateError.Revoked }, report.Tls!.CertificateErrors);
        Assert.False(report.Tls.CertificateValid);
        Assert.Null(report.FailedStage);
        Assert.False(report.Passed);
        Assert.Equal(SmtpProbeStage.StartTls, login.FailedStage);
        Assert.Contains("it has been revoked (Revoked)", login.Error!.Message);
        Assert.False(login.Authenticated);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACertificateOnNoRevocationListValidatesOnceTheListIsFetched()
    {
        using var crl = TestCrlServer.Start();
        var (options, server) = ServeWithCrl(crl, (ca, _) => ca.RevocationList());
        await using var _ = server;

        var report = await Probe(options);

        Assert.True(crl.Requests > 0);
        Assert.True(report.Tls!.CertificateValid);
        Assert.Empty(report.Tls.CertificateErrors);
        Assert.True(report.Passed);
    }

    [Fact]
    public async Task ARevocationListThatCannotBeFetchedIsRevocationUnknown()
    {
        var (options, server) = ServeWithCrl(null, null, TestCrlServer.Unreachable());
        await using var _ = server;

        var report = await Probe(options);

        Assert.Equal(new[] { SmtpCertificateError.RevocationUnknown }, report.Tls!.CertificateErrors);
        Assert.False(report.Tls.CertificateValid);
        Assert.False(report.Passed);
    }

    [Fact]
    public async Task ABadCertificateStopsTheCheckBeforeALogin()
    {
        await using var server = Serve(Authority.Issue("mail.other.test"));
        var options = Options(server);
        options.Credential = new NetworkCredential("alice", "secret");
        var report = await Probe(options);
        Assert.Equal(SmtpProbeStage.StartTls, report.FailedStage);
        Assert.IsType<SmtpTlsException>(report.Error);
        Assert.Equal(new[] { SmtpCertificateError.NameMismatch }, report.Tls!.CertificateErrors);
        Assert.Equal(new[] { "mail.other.test" }, report.Tls.CertificateNames);
        Assert.False(report.Authenticated);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImplicitTlsIsReportedAsSuch()
    {
        await using var server = Serve(implicitTls: true);
        var report = await Probe(Options(server, SmtpTlsMode.Implicit));
        Assert.True(report.Passed);
        Assert.Equal(SmtpTlsMode.Implicit, report.TlsMode);
        Assert.True(report.Tls!.CertificateValid);
        Assert.Equal(_shortCheck, Stages(report));
    }

    [Fact]
    public async Task StartTlsRefusedIsAFindingOfThatStage()
    {
        await using var server = Serve();
        server.On("STARTTLS").Reply("454 4.7.0 TLS not available");
        var report = await Probe(Options(server));
        Assert.Equal(SmtpProbeStage.StartTls, report.FailedStage);
        Assert.Equal(454, report.Error!.Code);
        Assert.False(report.Passed);
        Assert.Null(report.Tls);
    }

    [Fact]
    public async Task AuthOfferedBeforeTlsIsVisible()
    {
        await using var server = Serve();
        var report = await Probe(Options(server, SmtpTlsMode.None));
        Assert.Equal(SmtpTlsMode.None, report.TlsMode);
        Assert.Equal(new[] { "PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2" }, report.ExtensionsBeforeTls.AuthMechanisms);
        Assert.DoesNotContain("STARTTLS", server.Commands);
    }

    [Fact]
    public async Task AHeloOnlyServerIsReachedWithHelo()
    {
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { EhloSupported = false });
        var report = await Probe(Options(server));
        Assert.True(report.Passed);
        Assert.False(report.Esmtp);
        Assert.False(report.StartTlsOffered);
        Assert.Equal(SmtpTlsMode.None, report.TlsMode);
        Assert.Empty(report.Extensions);
    }

    [Fact]
    public async Task AClosedPortIsUnreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = new SmtpClientOptions { Host = "127.0.0.1", Port = port };
        var report = await Probe(options);
        Assert.False(report.Reachable);
        Assert.Equal(SmtpProbeStage.Connect, report.FailedStage);
        Assert.IsType<SmtpConnectException>(report.Error);
        Assert.Empty(report.Timings);
    }

    [Fact]
    public async Task ASlowGreetingFailsTheGreetingStage()
    {
        await using var server = Serve();
        server.OnGreeting().Delay(5000);
        var options = Options(server);
        options.ConnectTimeout = TimeSpan.FromMilliseconds(300);
        var report = await Probe(options);
        Assert.False(report.Reachable);
        Assert.Equal(SmtpProbeStage.Greeting, report.FailedStage);
        Assert.IsType<SmtpConnectTimeoutException>(report.Error);
        Assert.Equal(new[] { SmtpProbeStage.Connect }, Stages(report));
    }

    [Fact]
    public async Task ARelayProbeRunsUnauthenticatedBeforeTheLogin()
    {
        await using var server = Serve();
        server.On("RCPT TO:<relay-test@example.invalid>").Reply("554 5.7.1 Relay access denied");
        var options = Options(server);
        options.Credential = new NetworkCredential("alice", "secret");
        var report = await Probe(options, new SmtpProbeOptions { TestRelay = true });
        Assert.True(report.RelayRefused);
        Assert.True(report.Passed);
        Assert.True(report.Authenticated);
        var commands = server.Commands.ToList();
        int firstRcpt = commands.FindIndex(c => c.StartsWith("RCPT", StringComparison.Ordinal));
        Assert.True(firstRcpt < commands.FindIndex(c => c.StartsWith("AUTH", StringComparison.Ordinal)));
        Assert.Contains("MAIL FROM:<>", commands);
    }

    [Fact]
    public async Task AnOpenRelayFailsTheCheck()
    {
        await using var server = Serve();
        var probe = new SmtpProbeOptions { TestRelay = true, Recipients = new[] { "someone@foreign.test" } };
        var report = await Probe(Options(server), probe);
        Assert.False(report.RelayRefused);
        Assert.False(report.Passed);
        Assert.Equal("someone@foreign.test", Assert.Single(report.RecipientResults).Address);
    }

    [Fact]
    public async Task QuitAfterStopsThere()
    {
        await using var server = Serve();
        var report = await Probe(Options(server), new SmtpProbeOptions { QuitAfter = SmtpProbeStage.Ehlo });
        Assert.True(report.Passed);
        Assert.Equal(_shortCheck, Stages(report));
        Assert.DoesNotContain("STARTTLS", server.Commands);
        Assert.Equal("QUIT", server.Commands[server.Commands.Count - 1]);
    }

    [Fact]
    public async Task ARefusedSenderFailsTheMailStageAndStillQuits()
    {
        await using var server = Serve();
        server.On("MAIL FROM").Reply("553 5.7.1 Sender not allowed");
        var probe = new SmtpProbeOptions { Sender = "x@example.test", Recipients = new[] { "y@example.test" } };
        var report = await Probe(Options(server), probe);
        Assert.Equal(SmtpProbeStage.Mail, report.FailedStage);
        Assert.IsType<SmtpSenderRefusedException>(report.Error);
        Assert.Equal("QUIT", server.Commands[server.Commands.Count - 1]);
    }
}
