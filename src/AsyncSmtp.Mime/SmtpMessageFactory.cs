namespace AsyncSmtp.Mime;

// CONTRACT STUB: replaced by the Mime implementation; the public members below are the contract.

public enum SmtpMessagePriority { Normal, Low, High }

/// <summary>What New-SmtpMessage / Send-SmtpMessage's content parameters describe.</summary>
public sealed class SmtpMessageSpec
{
    public string? From { get; set; }
    public string[]? To { get; set; }
    public string[]? Cc { get; set; }
    public string[]? Bcc { get; set; }
    public string[]? ReplyTo { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    /// <summary>Body is HTML.</summary>
    public bool BodyAsHtml { get; set; }
    /// <summary>An HTML alternative next to the plain Body.</summary>
    public string? HtmlBody { get; set; }
    /// <summary>Full paths of files to attach.</summary>
    public string[]? Attachments { get; set; }
    public SmtpMessagePriority Priority { get; set; }
    /// <summary>Extra headers, name to value.</summary>
    public IDictionary<string, string>? Headers { get; set; }
}

public static class SmtpMessageFactory
{
    /// <summary>Builds a message. Bad addresses or header names: SmtpArgumentException. Missing attachment: FileNotFoundException.</summary>
    public static AsyncSmtp.SmtpMessage Create(SmtpMessageSpec spec) => throw new NotImplementedException();
    /// <summary>Reads an .eml file.</summary>
    public static AsyncSmtp.SmtpMessage Load(string path) => throw new NotImplementedException();
}
