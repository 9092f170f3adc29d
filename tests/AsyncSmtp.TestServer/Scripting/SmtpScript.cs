namespace AsyncSmtp.TestServer;

/// <summary>The ordered rules of a server; the first rule that matches and still has uses fires.</summary>
public sealed class SmtpScript
{
    /// <summary>Match point for the greeting sent on connect (after the TLS handshake with implicit TLS).</summary>
    public const string Greeting = "<GREETING>";

    /// <summary>Match point for the reply after the final "." of DATA or the BDAT ... LAST chunk.</summary>
    public const string EndOfMessage = "<EOM>";

    private readonly object _gate = new();
    private readonly List<ScriptRule> _rules = new();

    /// <summary>A snapshot of the rules in match order.</summary>
    public IReadOnlyList<ScriptRule> Rules
    {
        get { lock (_gate) { return _rules.ToArray(); } }
    }

    /// <summary>Adds a rule for command lines starting with <paramref name="pattern"/>, or for a match point.</summary>
    public ScriptRule On(string pattern)
    {
        var rule = new ScriptRule(pattern);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    internal static bool IsMatchPoint(string pattern) => pattern is Greeting or EndOfMessage;

    /// <summary>Fires the first matching rule for a command line or match point; null when none applies.</summary>
    internal ScriptPlan? Fire(string line, bool isMatchPoint)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(line, isMatchPoint) && rule.TryFire(out var plan))
            {
                return plan;
            }
        }

        return null;
    }
}
