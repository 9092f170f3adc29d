using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AsyncSmtp.TestServer;

/// <summary>Makes the self-signed localhost certificate the server presents.</summary>
public static class TestCertificate
{
    // Generating an RSA key costs tens of milliseconds; one per process is plenty for tests.
    private static readonly Lazy<X509Certificate2> _shared = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>One certificate shared by every server in this process that was not given its own.</summary>
    public static X509Certificate2 Shared => _shared.Value;

    /// <summary>
    /// A new RSA 2048 certificate for CN=localhost with SAN DNS localhost, IP 127.0.0.1 and ::1,
    /// valid from yesterday for a year.
    /// </summary>
    public static X509Certificate2 Create()
    {
        var now = DateTimeOffset.UtcNow;
        return Create("localhost", now.AddDays(-1), now.AddYears(1));
    }

    /// <summary>
    /// A new RSA 2048 self-signed server certificate for <paramref name="dnsName"/> (the loopback IP
    /// addresses are added only for "localhost"), for tests of host-name mismatch or expiry.
    /// </summary>
    public static X509Certificate2 Create(string dnsName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        using var ephemeral = ServerRequest(dnsName, rsa).CreateSelfSigned(notBefore, notAfter);
        return Persisted(ephemeral);
    }

    /// <summary>
    /// A request for a server certificate: CN and SAN <paramref name="dnsName"/> (plus the loopback IPs for
    /// "localhost").
    /// </summary>
    internal static CertificateRequest ServerRequest(string dnsName, RSA rsa)
    {
        var request = new CertificateRequest($"CN={dnsName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        if (dnsName == "localhost")
        {
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        return request;
    }

    /// <summary>
    /// An ephemeral key cannot serve an SslStream on every platform; a PFX round trip gives a
    /// persisted, exportable key that works on Linux, macOS and Windows alike.
    /// </summary>
    internal static X509Certificate2 Persisted(X509Certificate2 withEphemeralKey) =>
        X509CertificateLoader.LoadPkcs12(withEphemeralKey.Export(X509ContentType.Pfx), null,
            X509KeyStorageFlags.Exportable);
}
