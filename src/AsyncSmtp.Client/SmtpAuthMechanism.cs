namespace AsyncSmtp.Client;

/// <summary>The SASL mechanisms the client speaks.</summary>
public enum SmtpAuthMechanism
{
    /// <summary>
    /// RFC 2195 CRAM-MD5: a keyed digest of the server's challenge, so the password never crosses the wire.
    /// </summary>
    CramMd5,
    /// <summary>RFC 4616 PLAIN: user name and password in one message, readable by anyone without TLS.</summary>
    Plain,
    /// <summary>
    /// LOGIN: user name and password answered to two prompts; obsolete, but the only one some servers offer.
    /// </summary>
    Login,
    /// <summary>
    /// XOAUTH2 (Google, Microsoft 365): the user name and an OAuth 2.0 access token instead of a password.
    /// </summary>
    XOAuth2,

    /// <summary>RFC 7677 SCRAM-SHA-256, without channel binding.</summary>
    ScramSha256,

    /// <summary>RFC 5802 SCRAM-SHA-1, without channel binding.</summary>
    ScramSha1,

    /// <summary>RFC 7628 OAUTHBEARER.</summary>
    OAuthBearer,
}
