using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AsyncSmtp.TestServer;

/// <summary>
/// A private certificate authority made at run time, for tests of certificate validation: trust its
/// <see cref="Certificate"/> and give a server a certificate it issued (good, expired, not yet valid, for
/// another name), or one issued by an <see cref="CreateIntermediate">intermediate</see> that the server
/// does not send (a partial chain).
/// </summary>
public sealed class TestCertificateAuthority
{
    private readonly X509Certificate2 _signer;

    private TestCertificateAuthority(X509Certificate2 signer) => _signer = signer;

    /// <summary>The CA's own certificate, without its private key: what a client trusts.</summary>
    public X509Certificate2 Certificate => X509CertificateLoader.LoadCertificate(_signer.RawData);

    /// <summary>
    /// A new self-signed root CA, valid from five years ago for ten years (so that it can issue certificates
    /// expired long ago).
    /// </summary>
    public static TestCertificateAuthority Create(string name = "AsyncSmtp Test Root CA")
    {
        using var rsa = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        using var root = AuthorityRequest(name, rsa).CreateSelfSigned(now.AddYears(-5), now.AddYears(5));
        return new TestCertificateAuthority(TestCertificate.Persisted(root));
    }

    /// <summary>An intermediate CA this one signs, valid from four years ago for eight years.</summary>
    public TestCertificateAuthority CreateIntermediate(string name = "AsyncSmtp Test Intermediate CA")
    {
        using var rsa = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        using var issued = AuthorityRequest(name, rsa).Create(_signer, now.AddYears(-4), now.AddYears(4), NewSerial());
        using var withKey = issued.CopyWithPrivateKey(rsa);
        return new TestCertificateAuthority(TestCertificate.Persisted(withKey));
    }

    /// <summary>
    /// A server certificate for <paramref name="dnsName"/> with its private key, valid from yesterday for a year.
    /// </summary>
    public X509Certificate2 Issue(string dnsName = "localhost")
    {
        var now = DateTimeOffset.UtcNow;
        return Issue(dnsName, now.AddDays(-1), now.AddYears(1));
    }

    /// <summary>
    /// A server certificate for <paramref name="dnsName"/> with its private key, valid between the dates given.
    /// </summary>
    public X509Certificate2 Issue(string dnsName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = TestCertificate.ServerRequest(dnsName, rsa);
        using var issued = request.Create(_signer, notBefore, notAfter, NewSerial());
        using var withKey = issued.CopyWithPrivateKey(rsa);
        return TestCertificate.Persisted(withKey);
    }

    /// <summary>
    /// A server certificate for <paramref name="dnsName"/>, valid from yesterday for a year, whose CRL
    /// distribution point is <paramref name="crlUrl"/>: a client that checks revocation fetches the list there.
    /// </summary>
    public X509Certificate2 Issue(string dnsName, Uri crlUrl)
    {
        using var rsa = RSA.Create(2048);
        var request = TestCertificate.ServerRequest(dnsName, rsa);
        request.CertificateExtensions.Add(
            CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(new[] { crlUrl.AbsoluteUri }));
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_signer, true, false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(_signer, now.AddDays(-1), now.AddYears(1), NewSerial());
        using var withKey = issued.CopyWithPrivateKey(rsa);
        return TestCertificate.Persisted(withKey);
    }

    /// <summary>
    /// A certificate revocation list (DER) signed by this CA, listing <paramref name="revoked"/> as revoked an
    /// hour ago, current for a week.
    /// </summary>
    public byte[] RevocationList(params X509Certificate2[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        var now = DateTimeOffset.UtcNow;
        foreach (var certificate in revoked) builder.AddEntry(certificate, now.AddHours(-1));
        return builder.Build(_signer, BigInteger.One, now.AddDays(7), HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1, now.AddMinutes(-5));
    }

    private static CertificateRequest AuthorityRequest(string name, RSA rsa)
    {
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static byte[] NewSerial() => RandomNumberGenerator.GetBytes(16);
}
