using System.Security.Cryptography.X509Certificates;
using AsyncSmtp.TestServer;

namespace AsyncSmtp.Client.Tests;

/// <summary>
/// A private CA made once per test run, servers with certificates it issued, and clients that trust it.
/// </summary>
internal static class PrivateCa
{
    public static readonly TestCertificateAuthority Authority = TestCertificateAuthority.Create();

    /// <summary>Client options for <paramref name="server"/> that trust <see cref="Authority"/>.</summary>
    public static SmtpClientOptions Options(SmtpTestServer server, SmtpTlsMode mode = SmtpTlsMode.Opportunistic) =>
        new()
        {
            Host = server.Host,
            Port = server.Port,
            TlsMode = mode,
            LocalHostName = "client.test",
            Timeout = TimeSpan.FromSeconds(20),
            ConnectTimeout = TimeSpan.FromSeconds(20),
            TrustedRootCertificates = new X509Certificate2Collection(Authority.Certificate),
        };

    /// <summary>
    /// A server (user alice, password "secret") with <paramref name="certificate"/>, by default a good one for
    /// localhost.
    /// </summary>
    public static SmtpTestServer Serve(X509Certificate2? certificate = null, bool implicitTls = false) =>
        SmtpTestServer.StartNew(new SmtpTestServerOptions
        {
            Certificate = certificate ?? Authority.Issue("localhost"),
            ImplicitTls = implicitTls,
            Users = { ["alice"] = "secret" },
        });
}
