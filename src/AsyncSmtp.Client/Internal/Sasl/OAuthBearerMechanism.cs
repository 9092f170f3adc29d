namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>
/// RFC 7628 OAUTHBEARER: GS2 header "n,a=" user "," (no channel binding), then ^A "auth=Bearer " T
/// ^A ^A. After an error challenge the client sends a lone ^A (RFC 7628 section 3.2.3).
/// </summary>
internal sealed class OAuthBearerMechanism(string userName, string token) : BearerTokenMechanism(userName, token)
{
    private static readonly byte[] _kvsep = { 0x01 };

    public override string Name => "OAUTHBEARER";

    public override byte[]? InitialResponse() =>
        Utf8.GetBytes("n,a=" + Gs2Name.Escape(UserName) + ",\u0001auth=Bearer " + Token + "\u0001\u0001");

    protected override byte[] ErrorAcknowledgement => _kvsep;
}
