namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>The mechanisms by <see cref="SmtpAuthMechanism"/>: SASL names, default orders, instances.</summary>
internal static class SaslMechanisms
{
    /// <summary>With a password, strongest first: SCRAM never sends the password and verifies the server.</summary>
    public static readonly SmtpAuthMechanism[] PasswordOrder =
    {
        SmtpAuthMechanism.ScramSha256, SmtpAuthMechanism.ScramSha1, SmtpAuthMechanism.CramMd5,
        SmtpAuthMechanism.Plain, SmtpAuthMechanism.Login,
    };

    /// <summary>With an OAuth token: the standard one first.</summary>
    public static readonly SmtpAuthMechanism[] TokenOrder =
    {
        SmtpAuthMechanism.OAuthBearer, SmtpAuthMechanism.XOAuth2,
    };

    /// <summary>The SASL name of a mechanism, as in EHLO's AUTH line.</summary>
    public static string NameOf(SmtpAuthMechanism mechanism) => mechanism switch
    {
        SmtpAuthMechanism.ScramSha256 => "SCRAM-SHA-256",
        SmtpAuthMechanism.ScramSha1 => "SCRAM-SHA-1",
        SmtpAuthMechanism.CramMd5 => "CRAM-MD5",
        SmtpAuthMechanism.Plain => "PLAIN",
        SmtpAuthMechanism.Login => "LOGIN",
        SmtpAuthMechanism.XOAuth2 => "XOAUTH2",
        SmtpAuthMechanism.OAuthBearer => "OAUTHBEARER",
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism)),
    };

    /// <summary>Whether the mechanism's secret is a bearer token rather than a password.</summary>
    public static bool UsesToken(SmtpAuthMechanism mechanism) =>
        mechanism is SmtpAuthMechanism.XOAuth2 or SmtpAuthMechanism.OAuthBearer;

    /// <summary>A mechanism for one exchange; <see cref="SaslLocalFailure"/> if it cannot take them.</summary>
    public static SaslMechanism Create(SmtpAuthMechanism mechanism, string userName, string secret) => mechanism switch
    {
        SmtpAuthMechanism.ScramSha256 => ScramMechanism.Sha256(userName, secret),
        SmtpAuthMechanism.ScramSha1 => ScramMechanism.Sha1(userName, secret),
        SmtpAuthMechanism.CramMd5 => new CramMd5Mechanism(userName, secret),
        SmtpAuthMechanism.Plain => new PlainMechanism(userName, secret),
        SmtpAuthMechanism.Login => new LoginMechanism(userName, secret),
        SmtpAuthMechanism.XOAuth2 => new XOAuth2Mechanism(userName, secret),
        SmtpAuthMechanism.OAuthBearer => new OAuthBearerMechanism(userName, secret),
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism)),
    };
}
