namespace AsyncSmtp.TestServer;

/// <summary>The path and ESMTP parameters of a MAIL FROM or RCPT TO command.</summary>
internal sealed record EnvelopeArgument(string Address, IReadOnlyList<string> Parameters)
{
    /// <summary>
    /// Parses the arguments after the verb, e.g. "FROM:&lt;a@b&gt; SIZE=10" with keyword "FROM:".
    /// A space after the colon is tolerated, as real servers do. Null when the syntax is wrong.
    /// </summary>
    public static EnvelopeArgument? Parse(string arguments, string keyword)
    {
        if (!arguments.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = arguments[keyword.Length..].TrimStart(' ');
        var close = rest.IndexOf('>');
        if (!rest.StartsWith('<') || close < 0)
        {
            return null;
        }

        var parameters = rest[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new EnvelopeArgument(rest[1..close], parameters);
    }

    public bool IsAscii => Address.All(char.IsAscii);

    /// <summary>The extension keyword a MAIL/RCPT parameter depends on (RFC 1870, 6152, 3030, 6531, 3461, 4954).</summary>
    public static string RequiredExtension(string parameter)
    {
        var equals = parameter.IndexOf('=');
        var keyword = (equals < 0 ? parameter : parameter[..equals]).ToUpperInvariant();
        var value = equals < 0 ? string.Empty : parameter[(equals + 1)..];
        return keyword switch
        {
            "BODY" when value.Equals("BINARYMIME", StringComparison.OrdinalIgnoreCase) => "BINARYMIME",
            "BODY" => "8BITMIME",
            "RET" or "ENVID" or "NOTIFY" or "ORCPT" => "DSN",
            _ => keyword,
        };
    }

    /// <summary>The value of SIZE=n, or null.</summary>
    public long? DeclaredSize =>
        Parameters
            .Where(p => p.StartsWith("SIZE=", StringComparison.OrdinalIgnoreCase))
            .Select(p => long.TryParse(p.AsSpan(5), out var size) ? size : (long?)null)
            .FirstOrDefault();
}
