using System.Security.Cryptography;
using System.Text;
using AsyncSmtp.Client.Internal.Sasl;

namespace AsyncSmtp.Client.Tests;

/// <summary>The mechanisms' bytes against the RFCs' example exchanges.</summary>
public class SaslMechanismTests
{
    private static string Text(byte[]? bytes) => Encoding.UTF8.GetString(bytes!);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void PlainCramMd5AndLoginMatchTheirRfcs()
    {
        Assert.Equal("\0tim\0tanstaaftanstaaf", Text(new PlainMechanism("tim", "tanstaaftanstaaf").InitialResponse()));
        // RFC 2195's example exchange.
        var cram = new CramMd5Mechanism("tim", "tanstaaftanstaaf");
        Assert.Null(cram.InitialResponse());
        Assert.Equal("tim b913a602c7eda7a495b4e6e7334d3890",
            Text(cram.Respond(Bytes("<1896.697170952@postoffice.reston.mci.net>"))));
        var login = new LoginMechanism("jürgen", "pässword");
        Assert.Equal("jürgen", Text(login.InitialResponse()));
        Assert.Equal("pässword", Text(login.Respond(Bytes("Password:"))));
        Assert.Throws<SaslLocalFailure>(() => login.Respond(Bytes("Password:")));
    }

    [Fact]
    public void BearerMechanismsFrameTheTokenExactly()
    {
        Assert.Equal("user=u@x\u0001auth=Bearer tok\u0001\u0001",
            Text(new XOAuth2Mechanism("u@x", "tok").InitialResponse()));
        // RFC 7628 section 4.1, without the optional host and port; "," and "=" in the name are escaped.
        Assert.Equal("n,a=user@example.com,\u0001auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\u0001\u0001",
            Text(new OAuthBearerMechanism("user@example.com", "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==")
                .InitialResponse()));
        Assert.StartsWith("n,a=a=2Cb=3Dc,", Text(new OAuthBearerMechanism("a,b=c", "t").InitialResponse()));
        Assert.Throws<SaslLocalFailure>(() => new XOAuth2Mechanism("u", "to\u0001ken"));
    }

    [Fact]
    public void BearerErrorChallengesAreAnsweredAndAnExpiredTokenIsRecognised()
    {
        var xoauth2 = new XOAuth2Mechanism("u", "t");
        Assert.Empty(xoauth2.Respond(Bytes("""{"status":"401","schemes":"bearer"}""")));
        Assert.True(xoauth2.TokenRejected);
        var bearer = new OAuthBearerMechanism("u", "t");
        Assert.Equal(new byte[] { 1 }, bearer.Respond(Bytes("""{"status":"insufficient_scope"}""")));
        Assert.False(bearer.TokenRejected);
        Assert.Throws<SaslLocalFailure>(() => bearer.Respond(Bytes("{}")));
    }

    [Fact]
    public void ScramSha1MatchesRfc5802()
    {
        var scram = ScramMechanism.Sha1("user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");
        Assert.Equal("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", Text(scram.InitialResponse()));
        Assert.Equal("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
            Text(scram.Respond(Bytes("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"))));
        Assert.False(scram.ServerVerified);
        Assert.Empty(scram.Respond(Bytes("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")));
        Assert.True(scram.ServerVerified);
    }

    private const string Rfc7677ServerFirst =
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    [Fact]
    public void ScramSha256MatchesRfc7677()
    {
        var scram = ScramMechanism.Sha256("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Text(scram.InitialResponse()));
        Assert.Equal(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0," +
            "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            Text(scram.Respond(Bytes(Rfc7677ServerFirst))));
        Assert.Empty(scram.Respond(Bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
        Assert.True(scram.ServerVerified);
    }

    [Fact]
    public void AScramServerSignatureThatDoesNotVerifyIsNotBelieved()
    {
        var scram = ScramMechanism.Sha256("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        scram.InitialResponse();
        scram.Respond(Bytes(Rfc7677ServerFirst));
        var failure = Assert.Throws<SaslLocalFailure>(
            () => scram.Respond(Bytes("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
        Assert.Equal(SaslFailureKind.ServerNotVerified, failure.Kind);
        Assert.False(scram.ServerVerified);
    }

    [Theory]
    [InlineData("r=someone-elses-nonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2000000")]
    [InlineData("m=ext,r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=not base64,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,r=rOprNGfwEbeRWgbNEkqOy,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("e=unknown-user")]
    public void AMalformedServerFirstMessageMakesScramUnusable(string serverFirst)
    {
        var scram = ScramMechanism.Sha256("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        scram.InitialResponse();
        var failure = Assert.Throws<SaslLocalFailure>(() => scram.Respond(Bytes(serverFirst)));
        Assert.Equal(SaslFailureKind.Unusable, failure.Kind);
    }

    [Fact]
    public void AScramErrorInTheServersFinalMessageIsARefusal()
    {
        var scram = ScramMechanism.Sha256("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        scram.InitialResponse();
        scram.Respond(Bytes(Rfc7677ServerFirst));
        var failure = Assert.Throws<SaslLocalFailure>(() => scram.Respond(Bytes("e=invalid-proof")));
        Assert.Equal(SaslFailureKind.Refused, failure.Kind);
    }

    [Fact]
    public void ScramEscapesTheUserNameAndMakesAFreshNonceEachTime()
    {
        string first = Text(ScramMechanism.Sha1("a,b=c", "p").InitialResponse());
        string second = Text(ScramMechanism.Sha1("a,b=c", "p").InitialResponse());
        Assert.StartsWith("n,,n=a=2Cb=3Dc,r=", first);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain(",", first.Substring("n,,n=a=2Cb=3Dc,r=".Length));
    }

    [Theory]
    [InlineData("SHA256", 1)]
    [InlineData("SHA256", 4096)]
    [InlineData("SHA1", 3)]
    public void HiIsPbkdf2(string hash, int iterations)
    {
        var name = new HashAlgorithmName(hash);
        byte[] salt = Bytes("NaCl-salt");
        using HMAC keyed = hash == "SHA1" ? new HMACSHA1(Bytes("password")) : new HMACSHA256(Bytes("password"));
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(Bytes("password"), salt, iterations, name, keyed.HashSize / 8);
        Assert.Equal(expected, ScramHi.Derive(keyed, salt, iterations));
    }

    [Theory]
    [InlineData("I\u00adX", "IX")] // RFC 4013 section 3's examples: soft hyphen mapped to nothing,
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]
    [InlineData("\u00aa", "a")] // NFKC,
    [InlineData("\u2168", "IX")]
    [InlineData("a\u00a0b", "a b")] // a non-ASCII space becomes a space.
    public void SaslPrepMapsAndNormalises(string input, string expected) =>
        Assert.Equal(expected, SaslPrep.Prepare(input));

    [Theory]
    [InlineData("\u0007")]
    [InlineData("pass\u200eword")]
    [InlineData("\ue000")]
    public void SaslPrepRefusesProhibitedCharacters(string input) =>
        Assert.Throws<SaslLocalFailure>(() => SaslPrep.Prepare(input));
}
