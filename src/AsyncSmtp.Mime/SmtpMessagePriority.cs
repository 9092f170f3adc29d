namespace AsyncSmtp.Mime;

/// <summary>Priority as Send-MailMessage spells it; Normal adds no priority header at all.</summary>
public enum SmtpMessagePriority
{
    Normal,
    Low,
    High,
}
