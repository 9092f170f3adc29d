using AsyncSmtp.Client;

namespace AsyncSmtp.Interop.Tests;

/// <summary>Collects the client's protocol log, so tests can see which commands went on the wire.</summary>
public sealed class ProtocolLog
{
    private readonly List<SmtpLogEntry> _entries = new();

    public void Add(SmtpLogEntry entry)
    {
        lock (_entries) _entries.Add(entry);
    }

    /// <summary>The command lines the client wrote.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_entries) return _entries.Where(e => e.Direction == SmtpLogDirection.Client).Select(e => e.Text).ToArray();
        }
    }

    public string Command(string verb) =>
        Commands.FirstOrDefault(c => c.StartsWith(verb, StringComparison.OrdinalIgnoreCase))
        ?? throw new Xunit.Sdk.XunitException($"no {verb} command in the protocol log:\n{string.Join("\n", Commands)}");

    public override string ToString()
    {
        lock (_entries) return string.Join("\n", _entries);
    }
}
