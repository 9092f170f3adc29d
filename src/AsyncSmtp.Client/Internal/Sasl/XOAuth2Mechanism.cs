namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>
/// XOAUTH2 (Google's and Microsoft's): "user=" U ^A "auth=Bearer " T ^A ^A. After an error challenge
/// the client sends an empty line.
/// </summary>
internal sealed class XOAuth2Mechanism(string userName, string token) : BearerTokenMechanism(userName, token)
{
    public override string Name => "XOAUTH2";

    public override byte[]? InitialResponse() =>
        Utf8.GetBytes("user=" + UserName + "\u0001auth=Bearer " + Token + "\u0001\u0001");

    protected override byte[] ErrorAcknowledgement => Array.Empty<byte>();
}
