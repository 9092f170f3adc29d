using System.Text;

namespace AsyncSmtp.Mime;

/// <summary>
/// Adds the user's extra headers after checking that none of them can break or contradict the message.
/// </summary>
internal static class CustomHeaders
{
    // Set by their own parameters: a second From or To from a header would make the message ambiguous.
    private static readonly HashSet<string> _ownParameter = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Bcc", "Reply-To", "Subject",
    };

    // Address headers the user may add: checked like the address parameters, so a typo fails now, not at send time.
    private static readonly HashSet<string> _addressHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Sender", "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Bcc", "Resent-Reply-To",
    };

    // RFC 5322 3.6: at most one of each in a message, so a repeat is a mistake, not a list.
    private static readonly HashSet<string> _once = new(StringComparer.OrdinalIgnoreCase)
    {
        "Date", "Sender", "Message-Id", "In-Reply-To", "References",
    };

    /// <summary>
    /// A header already present (Date, Message-Id, the priority headers) is replaced by the first value given for it;
    /// any other value is added, so a name given more than once gives that many headers.
    /// </summary>
    public static void Apply(MimeMessage message, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        foreach (var (name, value, first) in Checked(headers))
        {
            if (first && message.Headers.Contains(name)) message.Headers.Replace(name, Encoding.UTF8, value);
            else message.Headers.Add(name, Encoding.UTF8, value);
        }
    }

    /// <summary>
    /// The headers in order, each checked as it comes (SmtpArgumentException for a bad name or value, or a second
    /// value of a header allowed once), with whether it is the first of its name.
    /// </summary>
    public static IEnumerable<(string Name, string Value, bool First)> Checked(
        IEnumerable<KeyValuePair<string, string>>? headers)
    {
        if (headers is null) yield break;
        var given = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in headers)
        {
            var name = pair.Key;
            var value = pair.Value;
            CheckName(name);
            CheckValue(name, value);
            if (_addressHeaders.Contains(name)) Addresses.ParseList(new[] { value }, name);

            bool first = given.Add(name);
            if (!first && _once.Contains(name))
                throw new SmtpArgumentException($"The {name} header can appear only once in a message.", "Header");
            yield return (name, value, first);
        }
    }

    /// <summary>A Sender or Resent-* header: the envelope must then be read from the headers, not the lists.</summary>
    public static bool ChangesEnvelope(string name) => _addressHeaders.Contains(name);

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => c <= ' ' || c >= 0x7F || c == ':'))
            throw new SmtpArgumentException(
                $"'{name}' is not a valid header name (printable ASCII without ':' or spaces).", "Header");
        if (_ownParameter.Contains(name))
            throw new SmtpArgumentException(
                $"The {name} header cannot be set as an extra header: use the {name.Replace("-", string.Empty)} " +
                $"parameter.", "Header");
        if (name.Equals("MIME-Version", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            throw new SmtpArgumentException(
                $"The {name} header cannot be set as an extra header: the MIME structure comes from the body and " +
                $"attachment parameters.", "Header");
    }

    private static void CheckValue(string name, string? value)
    {
        if (value is null)
            throw new SmtpArgumentException($"The {name} header has no value.", "Header");
        if (value.Any(c => (c < ' ' && c != '\t') || c == 0x7F))
            throw new SmtpArgumentException(
                $"The {name} header's value contains a line break or another control character.", "Header");
    }
}
