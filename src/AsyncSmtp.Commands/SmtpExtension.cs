namespace AsyncSmtp;

/// <summary>One EHLO keyword of a server, as Get-SmtpExtension returns it.</summary>
public sealed class SmtpExtension
{
    internal SmtpExtension(Client.SmtpExtension extension)
    {
        Name = extension.Name;
        Parameters = extension.Parameters.ToArray();
        Line = extension.Line;
    }

    /// <summary>The keyword, upper case.</summary>
    public string Name { get; }

    /// <summary>The words after the keyword.</summary>
    public string[] Parameters { get; }

    /// <summary>The line as the server sent it.</summary>
    public string Line { get; }

    public override string ToString() => Line;
}
