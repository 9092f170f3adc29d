namespace AsyncSmtp.Client;

/// <summary>The SASL mechanisms the client speaks.</summary>
public enum SmtpAuthMechanism
{
    CramMd5,
    Plain,
    Login,
    XOAuth2,

    /// <summary>RFC 7677 SCRAM-SHA-256, without channel binding.</summary>
    ScramSha256,

    /// <summary>RFC 5802 SCRAM-SHA-1, without channel binding.</summary>
    ScramSha1,

    /// <summary>RFC 7628 OAUTHBEARER.</summary>
    OAuthBearer,
}
