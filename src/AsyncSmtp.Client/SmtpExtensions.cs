namespace AsyncSmtp.Client;

/// <summary>
/// The service extensions of an EHLO reply, in the order received. Keywords are case-insensitive;
/// a repeated keyword replaces the earlier one; the old "AUTH=PLAIN LOGIN" form is read as AUTH.
/// </summary>
public sealed class SmtpExtensions : IReadOnlyList<SmtpExtension>
{
    /// <summary>No extensions: what a client knows before EHLO, after HELO and right after STARTTLS.</summary>
    public static readonly SmtpExtensions None = new(Array.Empty<SmtpExtension>());

    private readonly IReadOnlyList<SmtpExtension> _items;
    // Every transaction asks for several keywords (SIZE, PIPELINING, CHUNKING, ...): look them up, don't scan.
    private readonly Dictionary<string, SmtpExtension> _byName;

    private SmtpExtensions(IReadOnlyList<SmtpExtension> items)
    {
        _items = items;
        _byName = items.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Reads the lines of a 250 EHLO reply; the first line is the server's name, not an extension.</summary>
    public static SmtpExtensions Parse(SmtpResponse ehloReply)
    {
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var items = new List<SmtpExtension>();
        var authMechanisms = new List<string>();
        for (int n = 1; n < ehloReply.Lines.Count; n++)
        {
            string line = ehloReply.Lines[n];
            string[] words = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            string keyword = words[0];
            string[] parameters = words.Skip(1).ToArray();
            // Old servers announce "AUTH=LOGIN PLAIN": the keyword and first mechanism joined by '='.
            int eq = keyword.IndexOf('=');
            if (eq > 0 && string.Equals(keyword.Substring(0, eq), "AUTH", StringComparison.OrdinalIgnoreCase))
            {
                parameters = new[] { keyword.Substring(eq + 1) }.Concat(parameters).Where(p => p.Length > 0).ToArray();
                keyword = "AUTH";
            }
            keyword = keyword.ToUpperInvariant();
            if (keyword == "AUTH")
            {
                // Both forms may be present; the mechanisms of every AUTH line count.
                foreach (var p in parameters)
                    if (!authMechanisms.Contains(p, StringComparer.OrdinalIgnoreCase))
                        authMechanisms.Add(p.ToUpperInvariant());
                parameters = authMechanisms.ToArray();
            }
            var extension = new SmtpExtension(keyword, parameters, line);
            if (byName.TryGetValue(keyword, out int index)) items[index] = extension;
            else
            {
                byName[keyword] = items.Count;
                items.Add(extension);
            }
        }
        return new SmtpExtensions(items);
    }

    /// <summary>How many distinct keywords the server announced.</summary>
    public int Count => _items.Count;

    /// <summary>The extension at <paramref name="index"/> in the order the server announced them.</summary>
    public SmtpExtension this[int index] => _items[index];

    /// <summary>The extension with this keyword, or null.</summary>
    public SmtpExtension? this[string name] => _byName.TryGetValue(name, out var extension) ? extension : null;

    /// <summary>Whether the server announced the keyword <paramref name="name"/> (case-insensitive).</summary>
    public bool Contains(string name) => this[name] is not null;

    /// <summary>The mechanisms named by AUTH, upper case.</summary>
    public IReadOnlyList<string> AuthMechanisms => this["AUTH"]?.Parameters ?? Array.Empty<string>();

    /// <summary>The SIZE limit in bytes; null when SIZE is absent or gives no limit (0).</summary>
    public long? MaxMessageSize
    {
        get
        {
            var size = this["SIZE"];
            if (size is null || size.Parameters.Count == 0) return null;
            return long.TryParse(size.Parameters[0], out long limit) && limit > 0 ? limit : null;
        }
    }

    /// <summary>The extensions in the order the server announced them.</summary>
    public IEnumerator<SmtpExtension> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
