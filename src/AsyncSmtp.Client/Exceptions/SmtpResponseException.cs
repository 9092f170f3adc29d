namespace AsyncSmtp.Client;

/// <summary>The server refused a command with a 4xx or 5xx reply.</summary>
public class SmtpResponseException : SmtpCommandException
{
    public SmtpResponseException(string message, SmtpResponse response) : base(message, response) { }

    public new SmtpResponse Response => base.Response!;
}
