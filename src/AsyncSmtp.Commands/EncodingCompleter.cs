using System.Collections;
using System.Management.Automation.Language;

namespace AsyncSmtp.Commands;

/// <summary>Tab completion of the encoding names -Encoding understands.</summary>
public sealed class EncodingCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = wordToComplete.Trim('\'', '"');
        foreach (var (name, _, description) in EncodingArgumentAttribute.KnownNames)
        {
            if (name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, description);
        }
    }
}
