namespace AsyncSmtp.Client;

/// <summary>What a bounce returns (RFC 3461 RET).</summary>
public enum SmtpDsnReturn
{
    /// <summary>No RET parameter: the server chooses what a failure notification carries.</summary>
    Default,
    /// <summary>RET=FULL: a failure notification carries the whole message back.</summary>
    Full,
    /// <summary>RET=HDRS: a failure notification carries only the headers, for large or private messages.</summary>
    Headers,
}
