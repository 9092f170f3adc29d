using System.Collections;
using System.Management.Automation.Language;

namespace AsyncSmtp.Commands;

/// <summary>Tab completion of the well-known SMTP ports.</summary>
public sealed class SmtpPortCompleter : IArgumentCompleter
{
    private static readonly (string Port, string Description)[] _ports =
    {
        ("25", "SMTP relay between servers (STARTTLS when offered)"),
        ("465", "Submission over implicit TLS (SMTPS)"),
        ("587", "Submission with STARTTLS"),
        ("2525", "Alternative submission port of some providers"),
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        foreach (var (port, description) in _ports)
            if (port.StartsWith(wordToComplete, StringComparison.Ordinal))
                yield return new CompletionResult(port, port, CompletionResultType.ParameterValue, description);
    }
}
