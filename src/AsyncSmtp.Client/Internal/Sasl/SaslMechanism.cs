using System.Text;

namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>
/// One SASL mechanism's side of an AUTH exchange (RFC 4954): an optional initial response, then an
/// answer to each 334 challenge. Payloads are raw bytes; the client does the base64. A new instance
/// serves one exchange. A mechanism that cannot go on throws <see cref="SaslLocalFailure"/>, which
/// the client answers with "*" (cancel) before trying the next mechanism.
/// </summary>
internal abstract class SaslMechanism
{
    protected static readonly Encoding Utf8 = new UTF8Encoding(false, true);

    /// <summary>The name as in EHLO's AUTH line.</summary>
    public abstract string Name { get; }

    /// <summary>Sent with the AUTH command; null when the mechanism waits for the server to speak first.</summary>
    public abstract byte[]? InitialResponse();

    /// <summary>The answer to a 334 challenge (already base64-decoded).</summary>
    public abstract byte[] Respond(byte[] challenge);

    /// <summary>
    /// Whether a 235 may be believed. A mechanism with mutual authentication (SCRAM) says no until the
    /// server has proved that it knows the password.
    /// </summary>
    public virtual bool ServerVerified => true;
}

/// <summary>What a failure on the client's side means for the login.</summary>
internal enum SaslFailureKind
{
    /// <summary>Not usable here (a malformed challenge, a value it cannot encode): try the next mechanism.</summary>
    Unusable,

    /// <summary>The server said, inside the exchange, that the credentials are wrong: stop, as after a 535.</summary>
    Refused,

    /// <summary>The server did not prove that it knows the password: stop and close, it may be an impostor.</summary>
    ServerNotVerified,
}

/// <summary>The mechanism cannot continue on the client's side; the client cancels the exchange with "*".</summary>
internal sealed class SaslLocalFailure : Exception
{
    public SaslLocalFailure(string message, SaslFailureKind kind = SaslFailureKind.Unusable) : base(message)
    {
        Kind = kind;
    }

    public SaslFailureKind Kind { get; }
}
