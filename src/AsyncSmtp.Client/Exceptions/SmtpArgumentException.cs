namespace AsyncSmtp.Client;

/// <summary>An argument was refused before anything was written: a control character, a malformed value, conflicting options.</summary>
public sealed class SmtpArgumentException : SmtpCommandException
{
    public SmtpArgumentException(string message, string? argumentName = null) : base(message)
    {
        ArgumentName = argumentName;
    }

    public string? ArgumentName { get; }
}
