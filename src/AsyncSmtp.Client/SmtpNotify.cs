namespace AsyncSmtp.Client;

/// <summary>Delivery status notification triggers for one recipient (RFC 3461 NOTIFY).</summary>
[Flags]
public enum SmtpNotify
{
    /// <summary>No NOTIFY parameter: the server's default.</summary>
    Default = 0,
    Never = 1,
    Success = 2,
    Failure = 4,
    Delay = 8,
}
