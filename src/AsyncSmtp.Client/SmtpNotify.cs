namespace AsyncSmtp.Client;

/// <summary>Delivery status notification triggers for one recipient (RFC 3461 NOTIFY).</summary>
[Flags]
public enum SmtpNotify
{
    /// <summary>No NOTIFY parameter: the server's default.</summary>
    Default = 0,
    /// <summary>NOTIFY=NEVER: no notification at all, not even of a failure; not combinable with the others.</summary>
    Never = 1,
    /// <summary>NOTIFY=SUCCESS: a notification when the message reaches the recipient.</summary>
    Success = 2,
    /// <summary>NOTIFY=FAILURE: a notification when the message cannot be delivered.</summary>
    Failure = 4,
    /// <summary>NOTIFY=DELAY: a notification when delivery is delayed.</summary>
    Delay = 8,
}
