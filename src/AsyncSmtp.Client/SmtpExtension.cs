// In the module's root namespace: this is the type Get-SmtpExtension returns (AsyncSmtp.SmtpExtension), not a copy.
namespace AsyncSmtp;

/// <summary>One keyword of an EHLO reply, as the server sent it.</summary>
public sealed class SmtpExtension
{
    /// <summary>
    /// An extension from its keyword <paramref name="name"/>, its <paramref name="parameters"/> and the <paramref
    /// name="line"/> it came in.
    /// </summary>
    public SmtpExtension(string name, IReadOnlyList<string> parameters, string line)
    {
        Name = name;
        Parameters = parameters;
        Line = line;
    }

    /// <summary>The keyword in upper case.</summary>
    public string Name { get; }

    /// <summary>The words after the keyword.</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>The line as received.</summary>
    public string Line { get; }

    /// <summary>The line as received, as the server wrote it.</summary>
    public override string ToString() => Line;
}
