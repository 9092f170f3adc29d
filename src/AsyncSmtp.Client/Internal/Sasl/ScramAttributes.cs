namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>The "x=value" attributes of a SCRAM server message, comma separated (RFC 5802 section 5.1).</summary>
internal sealed class ScramAttributes
{
    private readonly Dictionary<char, string> _values = new();
    private readonly string _mechanism;

    private ScramAttributes(string mechanism) => _mechanism = mechanism;

    /// <summary>The value of "m=", an extension the server says the client must understand.</summary>
    public string? Mandatory => Get('m');

    public static ScramAttributes Parse(string message, string mechanism)
    {
        var attributes = new ScramAttributes(mechanism);
        foreach (string part in message.Split(','))
        {
            if (part.Length < 2 || part[1] != '=' || !char.IsLetter(part[0]))
                throw new SaslLocalFailure($"The server's {mechanism} message is malformed.");
            // A repeated attribute would let the first and the last be read differently: refuse it.
            if (attributes._values.ContainsKey(part[0]))
                throw new SaslLocalFailure($"The server's {mechanism} message repeats the attribute {part[0]}.");
            attributes._values[part[0]] = part.Substring(2);
        }
        return attributes;
    }

    public string? Get(char name) => _values.TryGetValue(name, out var value) ? value : null;

    public string Require(char name) =>
        Get(name) is { Length: > 0 } value
            ? value
            : throw new SaslLocalFailure($"The server's {_mechanism} message lacks {name}=.");

    public static byte[] Base64(string value, string mechanism)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new SaslLocalFailure($"The server's {mechanism} message holds invalid base64.");
        }
    }
}
