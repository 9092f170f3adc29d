namespace AsyncSmtp.Commands;

/// <summary>The ErrorIds of the public contract (spec/cmdlets.md). Scripts match on these: never rename one.</summary>
internal static class SmtpErrorIds
{
    public const string ConnectFailed = "SmtpConnectFailed";
    public const string ConnectTimeout = "SmtpConnectTimeout";
    public const string ReadTimeout = "SmtpReadTimeout";
    public const string ServerDisconnected = "SmtpServerDisconnected";
    public const string DeliveryUncertain = "SmtpDeliveryUncertain";
    public const string TlsFailed = "SmtpTlsFailed";
    public const string StartTlsNotSupported = "SmtpStartTlsNotSupported";
    public const string HeloFailed = "SmtpHeloFailed";
    public const string AuthenticationFailed = "SmtpAuthenticationFailed";
    public const string AuthenticationNotSupported = "SmtpAuthenticationNotSupported";
    public const string UnencryptedAuthenticationRefused = "SmtpUnencryptedAuthenticationRefused";
    public const string SenderRejected = "SmtpSenderRejected";
    public const string RecipientRejected = "SmtpRecipientRejected";
    public const string RecipientsRejected = "SmtpRecipientsRejected";
    public const string MessageRejected = "SmtpMessageRejected";
    public const string MessageTooLarge = "SmtpMessageTooLarge";
    public const string ExtensionNotSupported = "SmtpExtensionNotSupported";
    public const string ProtocolError = "SmtpProtocolError";
    public const string CommandNotAllowed = "SmtpCommandNotAllowed";
    public const string InvalidArgument = "SmtpInvalidArgument";
    public const string SessionClosed = "SmtpSessionClosed";

    /// <summary>A -Path or -Attachments file that does not exist (the ErrorId PowerShell's own cmdlets use).</summary>
    public const string PathNotFound = "PathNotFound";

    /// <summary>
    /// Test-SmtpServer -Domain: NXDOMAIN, no answer, or an MX host without an address. The spec says these are
    /// errors without naming an ErrorId; this one is new.
    /// </summary>
    public const string DnsLookupFailed = "SmtpDnsLookupFailed";
}
