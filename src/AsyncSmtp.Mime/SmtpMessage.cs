using AsyncSmtp.Client;

namespace AsyncSmtp;

// CONTRACT STUB: replaced by the Mime implementation; the public members below are the contract.

/// <summary>A message ready to send: built by New-SmtpMessage or read from an .eml file.</summary>
public sealed class SmtpMessage
{
    public string? From => throw new NotImplementedException();
    public string[] To => throw new NotImplementedException();
    public string[] Cc => throw new NotImplementedException();
    public string[] Bcc => throw new NotImplementedException();
    public string? Subject => throw new NotImplementedException();
    public string? MessageId => throw new NotImplementedException();
    /// <summary>Bytes as transmitted (Bcc omitted), before SMTP dot-stuffing.</summary>
    public long Size => throw new NotImplementedException();
    /// <summary>Writes the message as an .eml file (Bcc kept, as a draft).</summary>
    public void Save(string path) => throw new NotImplementedException();
    /// <summary>The envelope: overrides when given, else from headers (Sender/From, To/Cc/Bcc, or one Resent block).</summary>
    public SmtpEnvelope CreateEnvelope(string? sender = null, IEnumerable<string>? recipients = null) => throw new NotImplementedException();
    /// <summary>The content as sent: CRLF, Bcc and Resent-Bcc never transmitted, streamed from MimeKit.</summary>
    public SmtpContent CreateContent() => throw new NotImplementedException();
}
