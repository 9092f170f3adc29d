using System.Collections;
using System.Management.Automation.Language;

namespace AsyncSmtp.Commands;

/// <summary>Tab completion of the SMTP verbs Invoke-SmtpCommand sends.</summary>
public sealed class SmtpCommandCompleter : IArgumentCompleter
{
    private static readonly (string Verb, string Description)[] _verbs =
    {
        ("EHLO", "Extended hello: lists the server's extensions"),
        ("HELO", "Hello, without extensions"),
        ("NOOP", "Does nothing; checks the server answers"),
        ("RSET", "Aborts the current transaction"),
        ("VRFY", "Verifies an address"),
        ("EXPN", "Expands a mailing list"),
        ("HELP", "The server's help text"),
        ("MAIL FROM:<>", "Starts a transaction"),
        ("RCPT TO:<>", "Adds a recipient"),
        ("ETRN", "Asks the server to flush its queue for a domain"),
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = wordToComplete.Trim('\'', '"');
        foreach (var (verb, description) in _verbs)
        {
            if (!verb.StartsWith(typed, StringComparison.OrdinalIgnoreCase)) continue;
            string text = verb.IndexOf(' ') >= 0 ? $"'{verb}'" : verb;
            yield return new CompletionResult(text, verb, CompletionResultType.ParameterValue, description);
        }
    }
}
