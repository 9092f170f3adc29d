using AsyncSmtp.Client.Internal.OAuth;
using AsyncSmtp.Client.Tests.Support;

namespace AsyncSmtp.Client.Tests;

public class OAuthTokenCheckTests
{
    private static readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    [Fact]
    public void JsonReaderReadsClaimsAndRefusesWhatIsNotOneObject()
    {
        var claims = JsonReader.ReadObject("""{"a":"x\"\u00e9\n","b":[1,2.5e1,true,null],"c":{"d":-3}}""")!;
        Assert.Equal("x\"é\n", claims["a"]);
        Assert.Equal(new object?[] { 1.0, 25.0, true, null }, (List<object?>)claims["b"]!);
        Assert.Equal(-3.0, ((IReadOnlyDictionary<string, object?>)claims["c"]!)["d"]);
        Assert.Null(JsonReader.ReadObject("[1]"));
        Assert.Null(JsonReader.ReadObject("""{"a":1} x"""));
        Assert.Null(JsonReader.ReadObject("""{"a":"""));
        Assert.Null(JsonReader.ReadObject(new string('[', 100)));
    }

    [Fact]
    public void ReadsTheClaimsOfAJwt()
    {
        var claims = JwtClaims.TryRead(
            Jwt.Make("""{"aud":["a","b"],"exp":1700000000,"scp":"Mail.Read SMTP.Send","roles":["R"]}"""))!;
        Assert.Equal(new[] { "a", "b" }, claims.Audiences);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), claims.ExpiresAt);
        Assert.Equal(new[] { "Mail.Read", "SMTP.Send", "R" }, claims.Permissions);
        Assert.Null(JwtClaims.TryRead("ya29.opaque-google-token"));
        Assert.Null(JwtClaims.TryRead("a.%%%.c"));
    }

    [Fact]
    public void AnOpaqueTokenOrAValidTokenPasses()
    {
        Assert.Null(OAuthTokenCheck.Check("ya29.a0AfH6SMB-opaque", "smtp.gmail.com", _now));
        Assert.Null(OAuthTokenCheck.Check(Jwt.Entra(), "smtp.office365.com", _now));
        // A delegated token: the audience Microsoft gives those, and the permission in "scp".
        Assert.Null(OAuthTokenCheck.Check(
            Jwt.Make($$"""{"aud":"https://outlook.office.com/","iss":"{{Jwt.EntraIssuer}}","scp":"SMTP.Send"}"""),
            "x", _now));
        // Not Microsoft's: the audience and permission rules are Exchange Online's, not applied elsewhere.
        string other = Jwt.Make("""{"aud":"https://mail.example","iss":"https://idp.example"}""");
        Assert.Null(OAuthTokenCheck.Check(other, "mail.example", _now));
    }

    [Fact]
    public void AnExpiredTokenIsRefusedWithWhatToDo()
    {
        var error = OAuthTokenCheck.Check(Jwt.Make("""{"exp":1600000000}"""), "mail.example", _now)!;
        Assert.Contains("expired at 2020-09-13 12:26:40Z", error.Message);
        Assert.Contains("script block", error.RecommendedAction);
        Assert.Null(error.Response);
    }

    [Fact]
    public void AMicrosoftGraphTokenIsNotForSmtp()
    {
        var error = OAuthTokenCheck.Check(Jwt.Entra("https://graph.microsoft.com"), "127.0.0.1", _now)!;
        Assert.Contains("https://graph.microsoft.com", error.Message);
        Assert.Contains("https://outlook.office365.com/.default", error.RecommendedAction);
        // Known by the server's name too, whoever issued the token.
        var byHost = OAuthTokenCheck.Check(Jwt.Make("""{"aud":"api://other"}"""), "smtp.office365.com", _now)!;
        Assert.Contains("not for Exchange Online", byHost.Message);
    }

    [Fact]
    public void ATokenWithoutSmtpPermissionIsRefused()
    {
        var error = OAuthTokenCheck.Check(Jwt.Entra(roles: "[\"Mail.Send\"]"), "smtp.office365.com", _now)!;
        Assert.Contains("neither SMTP.Send nor SMTP.SendAsApp", error.Message);
        Assert.Contains("SMTP.SendAsApp", error.RecommendedAction);
    }
}
