using System.Security.Cryptography;
using System.Text;

namespace AsyncSmtp.Client.Internal;

/// <summary>The wire forms of the SASL mechanisms (RFC 4616 PLAIN, LOGIN, RFC 2195 CRAM-MD5, XOAUTH2). Credentials are UTF-8.</summary>
internal static class SaslPayloads
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false, true);

    public static string Plain(string userName, string password) =>
        Base64("\0" + userName + "\0" + password);

    public static string Base64(string value) => Convert.ToBase64String(Utf8.GetBytes(value));

    /// <summary>The answer to a CRAM-MD5 challenge: base64(user SP hex(HMAC-MD5(password, challenge))).</summary>
    public static string CramMd5(string userName, string password, string base64Challenge)
    {
        byte[] challenge;
        try
        {
            challenge = Convert.FromBase64String(base64Challenge.Trim());
        }
        catch (FormatException)
        {
            throw new SmtpProtocolException("The CRAM-MD5 challenge is not valid base64.");
        }
        using var hmac = new HMACMD5(Utf8.GetBytes(password));
        byte[] digest = hmac.ComputeHash(challenge);
        var hex = new StringBuilder(digest.Length * 2);
        foreach (byte b in digest) hex.Append(b.ToString("x2"));
        return Base64(userName + " " + hex);
    }

    public static string XOAuth2(string userName, string accessToken) =>
        Base64("user=" + userName + "\u0001auth=Bearer " + accessToken + "\u0001\u0001");

    /// <summary>The SASL name of a mechanism, as in EHLO's AUTH line.</summary>
    public static string NameOf(SmtpAuthMechanism mechanism) => mechanism switch
    {
        SmtpAuthMechanism.CramMd5 => "CRAM-MD5",
        SmtpAuthMechanism.Plain => "PLAIN",
        SmtpAuthMechanism.Login => "LOGIN",
        SmtpAuthMechanism.XOAuth2 => "XOAUTH2",
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism)),
    };
}
