namespace AsyncSmtp.Client;

/// <summary>What a bounce returns (RFC 3461 RET).</summary>
public enum SmtpDsnReturn
{
    Default,
    Full,
    Headers,
}
