namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>
/// LOGIN (draft-murchison-sasl-login): the user name as the initial response, the password as the
/// answer to the next prompt. The prompts' text ("Password:") varies between servers and is not read.
/// </summary>
internal sealed class LoginMechanism(string userName, string password) : SaslMechanism
{
    private bool _passwordSent;

    public override string Name => "LOGIN";

    public override byte[]? InitialResponse() => Utf8.GetBytes(userName);

    public override byte[] Respond(byte[] challenge)
    {
        if (_passwordSent) throw new SaslLocalFailure("LOGIN got a further prompt after the password.");
        _passwordSent = true;
        return Utf8.GetBytes(password);
    }
}
