using System.Text;

namespace AsyncSmtp.TestServer;

/// <summary>
/// What the server does when a command line starts with <see cref="Pattern"/> (case-insensitive), or at
/// the <c>&lt;GREETING&gt;</c> / <c>&lt;EOM&gt;</c> points. Steps run in the order they were added.
/// A rule made only of delays (or ended with <see cref="ThenDefault"/>) lets the server answer as usual
/// afterwards; any other rule answers the command itself. A scripted reply drives the session like a
/// real one: 354 to DATA reads the message, 220 to STARTTLS starts the handshake, 2xx to MAIL/RCPT
/// records the sender/recipient, 235 to AUTH authenticates, 2xx at &lt;EOM&gt; records the message.
/// </summary>
public sealed class ScriptRule
{
    private readonly object _gate = new();
    private readonly List<ScriptAction> _actions = new();
    private int? _remaining;
    private int _hits;
    private bool _thenDefault;

    internal ScriptRule(string pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            throw new ArgumentException("A rule needs a non-empty pattern.", nameof(pattern));
        }

        Pattern = pattern;
    }

    /// <summary>The command prefix, <c>&lt;GREETING&gt;</c> or <c>&lt;EOM&gt;</c>.</summary>
    public string Pattern { get; }

    /// <summary>How many times the rule has fired.</summary>
    public int Hits
    {
        get { lock (_gate) { return _hits; } }
    }

    /// <summary>How many more times the rule may fire; null when it fires every time.</summary>
    public int? RemainingUses
    {
        get { lock (_gate) { return _remaining; } }
    }

    /// <summary>
    /// Replies with the given lines exactly as written (each must carry its code, e.g. "250-first",
    /// "250 last"); a line holding CRLF or LF is split. Several complete replies make unsolicited extras.
    /// </summary>
    public ScriptRule Reply(params string[] lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var split = lines.SelectMany(ReplyText.SplitLines).ToList();
        if (split.Count == 0)
        {
            throw new ArgumentException("A reply needs at least one line.", nameof(lines));
        }

        return Add(new ReplyAction(split));
    }

    /// <summary>Replies with <paramref name="code"/> formatted over the lines: "code-line1" ... "code lineN".</summary>
    public ScriptRule ReplyMultiline(int code, params string[] lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return Add(new ReplyAction(ReplyText.Format(code, lines)));
    }

    /// <summary>Waits before the next step (or before the server's own reply when nothing else answers).</summary>
    public ScriptRule Delay(int milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        return Add(new DelayAction(milliseconds));
    }

    /// <summary>Writes the bytes as they are: garbage, non-UTF-8, oversized lines, unsolicited replies.</summary>
    public ScriptRule SendRaw(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Add(new RawAction((byte[])bytes.Clone(), bytes.Length, 0));
    }

    /// <summary>Writes the UTF-8 bytes of <paramref name="text"/> as they are (no CRLF is added).</summary>
    public ScriptRule SendRaw(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendRaw(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// Writes the UTF-8 bytes of <paramref name="text"/> in pieces of <paramref name="chunkSize"/> bytes,
    /// each flushed separately with a pause between, to test reply reassembly.
    /// </summary>
    public ScriptRule SendInChunks(string text, int chunkSize, int pauseMilliseconds = 20)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(pauseMilliseconds);
        return Add(new RawAction(Encoding.UTF8.GetBytes(text), chunkSize, pauseMilliseconds));
    }

    /// <summary>Closes the connection (FIN). After a reply step this is "reply, then disconnect".</summary>
    public ScriptRule Disconnect() => Add(new DisconnectAction(abort: false));

    /// <summary>Resets the connection (TCP RST) instead of closing it cleanly.</summary>
    public ScriptRule Abort() => Add(new DisconnectAction(abort: true));

    /// <summary>
    /// Never replies: the session swallows whatever the client sends until the client closes the
    /// connection or the server stops, for read-timeout tests.
    /// </summary>
    public ScriptRule Hang() => Add(new HangAction());

    /// <summary>After the steps, let the server handle the command as it normally would.</summary>
    public ScriptRule ThenDefault()
    {
        lock (_gate)
        {
            _thenDefault = true;
        }

        return this;
    }

    /// <summary>Fire only the first time the pattern matches.</summary>
    public ScriptRule Once() => Times(1);

    /// <summary>Fire for the next <paramref name="count"/> matches only.</summary>
    public ScriptRule Times(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate)
        {
            _remaining = count;
        }

        return this;
    }

    /// <summary>Fire on every match (the default).</summary>
    public ScriptRule Always()
    {
        lock (_gate)
        {
            _remaining = null;
        }

        return this;
    }

    /// <inheritdoc/>
    public override string ToString() => $"On({Pattern}): {Hits} hit(s)";

    internal bool Matches(string line, bool isMatchPoint) =>
        isMatchPoint
            ? string.Equals(Pattern, line, StringComparison.Ordinal)
            : !SmtpScript.IsMatchPoint(Pattern) && line.StartsWith(Pattern, StringComparison.OrdinalIgnoreCase);

    /// <summary>Claims one use of the rule; the steps are copied so later edits cannot race a running session.</summary>
    internal bool TryFire(out ScriptPlan plan)
    {
        lock (_gate)
        {
            if (_remaining == 0)
            {
                plan = default;
                return false;
            }

            if (_remaining is { } left)
            {
                _remaining = left - 1;
            }

            _hits++;
            var actions = _actions.ToArray();
            var answers = !_thenDefault && actions.Any(a => a.AnswersCommand);
            var lastReply = actions.OfType<ReplyAction>().LastOrDefault();
            plan = new ScriptPlan(actions, answers, lastReply is null ? null : ReplyText.CodeOf(lastReply.Lines[^1]));
            return true;
        }
    }

    private ScriptRule Add(ScriptAction action)
    {
        lock (_gate)
        {
            _actions.Add(action);
        }

        return this;
    }
}

/// <summary>
/// The steps of one firing of a rule, whether they replace the server's own answer, and the code of the
/// last scripted reply line, which decides what the command does to the session.
/// </summary>
internal readonly record struct ScriptPlan(IReadOnlyList<ScriptAction> Actions, bool AnswersCommand, int? ReplyCode)
{
    public bool IsSuccess => ReplyCode is >= 200 and < 300;
}
