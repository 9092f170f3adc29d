namespace AsyncSmtp.Client;

/// <summary>The server refused a command with a 4xx or 5xx reply.</summary>
public class SmtpResponseException : SmtpCommandException
{
    /// <summary>A refusal by the reply <paramref name="response"/>; the connection goes on.</summary>
    public SmtpResponseException(string message, SmtpResponse response) : base(message, response) { }

    /// <summary>The refusing reply: never null here, as a refusal always comes with one.</summary>
    public new SmtpResponse Response => base.Response!;
}
