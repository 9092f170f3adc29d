using System.Collections;

namespace AsyncSmtp.Commands;

/// <summary>The content parameters New-SmtpMessage and Send-SmtpMessage share (named as Send-MailMessage's).</summary>
internal interface IMessageContentParameters
{
    string? From { get; }
    string[]? To { get; }
    string[]? Cc { get; }
    string[]? Bcc { get; }
    string[]? ReplyTo { get; }
    string? Subject { get; }
    string? Body { get; }
    bool BodyAsHtml { get; }
    string? HtmlBody { get; }
    string[]? Attachments { get; }
    IDictionary? InlineAttachment { get; }
    SmtpMessagePriority Priority { get; }
    IDictionary? Header { get; }
    System.Text.Encoding? Encoding { get; }
}
