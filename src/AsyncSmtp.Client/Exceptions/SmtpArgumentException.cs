namespace AsyncSmtp.Client;

/// <summary>
/// An argument was refused before anything was written: a control character, a malformed value, conflicting options.
/// </summary>
public sealed class SmtpArgumentException : SmtpCommandException
{
    /// <summary>
    /// Raised before anything is written; <paramref name="argumentName"/> names the refused argument when there is one.
    /// </summary>
    public SmtpArgumentException(string message, string? argumentName = null) : base(message)
    {
        ArgumentName = argumentName;
    }

    /// <summary>
    /// The parameter the caller should fix (for example "recipient"); null when the refusal is about a combination.
    /// </summary>
    public string? ArgumentName { get; }
}
