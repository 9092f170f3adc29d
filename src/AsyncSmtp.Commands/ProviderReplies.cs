namespace AsyncSmtp.Commands;

/// <summary>
/// Well-known replies of Microsoft 365 and Gmail (and one that any server may give), with their cause
/// and fix, as one table: the error mapper puts the matching entry's text in RecommendedAction.
/// </summary>
internal static class ProviderReplies
{
    /// <summary>
    /// A reply this table explains: its ErrorId (null: at any stage), its code (null: any) and enhanced
    /// status code, and what to do.
    /// </summary>
    private sealed class Entry(string? errorId, int? code, string enhancedStatusCode, string recommendedAction)
    {
        public string? ErrorId { get; } = errorId;

        public int? Code { get; } = code;

        public string EnhancedStatusCode { get; } = enhancedStatusCode;

        public string RecommendedAction { get; } = recommendedAction;
    }

    private static readonly Entry[] _table =
    {
        new(SmtpErrorIds.AuthenticationFailed, 535, "5.7.139",
            "Microsoft 365 refused the login: SMTP AUTH is disabled for the tenant or the mailbox, or " +
            "security defaults block password logins. Enable it for the mailbox (Set-CASMailbox <mailbox> " +
            "-SmtpClientAuthenticationDisabled $false), or log in with OAuth (-OAuthToken)."),
        new(SmtpErrorIds.AuthenticationFailed, 535, "5.7.3",
            "Microsoft 365 refused the credentials: check the user name and password; with -OAuthToken, the " +
            "token must be for https://outlook.office365.com with SMTP.Send or SMTP.SendAsApp, and an app's " +
            "service principal must be registered in Exchange Online (New-ServicePrincipal) with access to the " +
            "mailbox (Add-MailboxPermission)."),
        new(null, null, "5.7.57",
            "Microsoft 365 accepts mail only after a login: give -Credential or -OAuthToken, over port 587 " +
            "with -StartTls."),
        new(null, null, "5.2.252",
            "Microsoft 365: the account that logged in may not send as this sender (SendAsDenied). Use the " +
            "mailbox's own address as -From, or grant the account Send As permission on the sender's mailbox."),
        new(null, 432, "4.3.2",
            "Microsoft 365 allows only a few connections at once per mailbox: use one session (Connect-Smtp) " +
            "or a lower -ThrottleLimit, and try again later."),
        new(null, 554, "5.2.0",
            "Microsoft 365 could not submit the message (STOREDRV.Submission): usually the account may not " +
            "send as the sender, or the mailbox is blocked for sending (outbound spam: see Restricted " +
            "entities in the Microsoft 365 Defender portal)."),
        new(null, null, "5.4.5",
            "Gmail: the account's daily sending limit is reached. Wait up to 24 hours, or spread the messages " +
            "over several days or accounts."),
        new(SmtpErrorIds.AuthenticationFailed, 454, "4.7.0",
            "Gmail refuses logins for now (too many login attempts, or a temporary problem): wait a few " +
            "minutes, and send many messages over one session (Connect-Smtp) instead of logging in for each."),
        new(SmtpErrorIds.HeloFailed, 501, "5.5.4",
            "The server wants a fully-qualified domain name in EHLO, and this machine's name is not one: give " +
            "-LocalHostName with a name such as mail.example.com."),
    };

    /// <summary>What to do about <paramref name="reply"/> at the stage <paramref name="errorId"/>, or null.</summary>
    public static string? Explain(string errorId, SmtpResponse reply) => _table.FirstOrDefault(entry =>
        (entry.ErrorId is null || entry.ErrorId == errorId)
        && (entry.Code is null || entry.Code == reply.Code)
        && entry.EnhancedStatusCode == reply.EnhancedStatusCode)?.RecommendedAction;
}
