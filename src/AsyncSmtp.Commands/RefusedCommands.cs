namespace AsyncSmtp.Commands;

/// <summary>The verbs Invoke-SmtpCommand refuses, and the cmdlet that does the job properly.</summary>
internal static class RefusedCommands
{
    private static readonly Dictionary<string, string> _replacements = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DATA"] = "Send-SmtpMessage",
        ["BDAT"] = "Send-SmtpMessage",
        ["STARTTLS"] = "Connect-Smtp -StartTls",
        ["AUTH"] = "Connect-Smtp -Credential",
        ["QUIT"] = "Disconnect-Smtp",
    };

    /// <summary>The cmdlet to use instead, or null when the command may be sent.</summary>
    public static string? ReplacementFor(string commandLine) =>
        _replacements.TryGetValue(VerbOf(commandLine), out var replacement) ? replacement : null;

    public static string VerbOf(string commandLine)
    {
        string trimmed = commandLine.TrimStart();
        int end = 0;
        while (end < trimmed.Length && !char.IsWhiteSpace(trimmed[end])) end++;
        return trimmed.Substring(0, end);
    }
}
