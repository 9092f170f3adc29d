using System.Security.Cryptography;
using System.Text;

namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>RFC 2195 CRAM-MD5: user SP hex(HMAC-MD5(password, challenge)).</summary>
internal sealed class CramMd5Mechanism(string userName, string password) : SaslMechanism
{
    private bool _answered;

    public override string Name => "CRAM-MD5";

    public override byte[]? InitialResponse() => null;

    public override byte[] Respond(byte[] challenge)
    {
        if (_answered) throw new SaslLocalFailure("CRAM-MD5 got a second challenge.");
        _answered = true;
        using var hmac = new HMACMD5(Utf8.GetBytes(password));
        byte[] digest = hmac.ComputeHash(challenge);
        var text = new StringBuilder(userName.Length + 1 + digest.Length * 2).Append(userName).Append(' ');
        foreach (byte b in digest) text.Append(b.ToString("x2"));
        return Utf8.GetBytes(text.ToString());
    }
}
