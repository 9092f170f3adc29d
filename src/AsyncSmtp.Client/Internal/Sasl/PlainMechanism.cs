namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>RFC 4616 PLAIN: NUL user NUL password, in the initial response.</summary>
internal sealed class PlainMechanism(string userName, string password) : SaslMechanism
{
    public override string Name => "PLAIN";

    public override byte[]? InitialResponse() => Utf8.GetBytes("\0" + userName + "\0" + password);

    public override byte[] Respond(byte[] challenge) =>
        throw new SaslLocalFailure("PLAIN expects no challenge after its initial response.");
}
