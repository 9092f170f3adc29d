namespace AsyncSmtp.Client;

/// <summary>The SASL mechanisms the client speaks.</summary>
public enum SmtpAuthMechanism
{
    CramMd5,
    Plain,
    Login,
    XOAuth2,
}
