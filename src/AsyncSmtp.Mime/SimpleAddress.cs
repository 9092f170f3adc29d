namespace AsyncSmtp.Mime;

/// <summary>
/// The address nearly every script gives, <c>Name &lt;local@domain&gt;</c> or <c>local@domain</c> with a name of
/// letters and digits and an address of letters, digits and a few plain signs, read and written here. MimeKit's
/// parser and formatter give such an address the same mailbox and the same header text, at several times the cost
/// and allocation, and New-SmtpMessage reads two for every message. Anything else (quotes, comments, groups,
/// non-ASCII, an IDN domain) is left to MimeKit; tests hold the two to the same result.
/// </summary>
internal static class SimpleAddress
{
    /// <summary>The mailbox of a simple address; null for any other text, which MimeKit's parser then reads.</summary>
    public static MailboxAddress? TryParse(string value)
    {
        if (value.Length == 0 || value[value.Length - 1] != '>') return IsAddrSpec(value, 0, value.Length)
            ? new MailboxAddress(string.Empty, value)
            : null;
        var open = value.LastIndexOf(" <", StringComparison.Ordinal);
        if (open < 1 || !IsName(value, 0, open) || !IsAddrSpec(value, open + 2, value.Length - 1 - (open + 2)))
            return null;
        return new MailboxAddress(value.Substring(0, open), value.Substring(open + 2, value.Length - 3 - open));
    }

    /// <summary>
    /// The header text of a list of one simple mailbox, as MimeKit writes it; null for any other list.
    /// </summary>
    public static string? HeaderText(InternetAddressList list)
    {
        if (list.Count != 1 || list[0] is not MailboxAddress { Route.Count: 0 } mailbox) return null;
        string name = mailbox.Name ?? string.Empty, address = mailbox.Address;
        if (!IsAddrSpec(address, 0, address.Length)) return null;
        if (name.Length == 0) return address;
        return IsName(name, 0, name.Length) ? name + " <" + address + ">" : null;
    }

    // Words of letters and digits with one space between them: a phrase MimeKit neither quotes nor encodes.
    private static bool IsName(string text, int start, int length)
    {
        if (length == 0 || text[start] == ' ' || text[start + length - 1] == ' ') return false;
        for (var i = start; i < start + length; i++)
        {
            var c = text[i];
            if (c == ' ' ? text[i - 1] == ' ' : !IsLetterOrDigit(c)) return false;
        }

        return true;
    }

    // local@domain: a dot-atom local part of letters, digits and . _ + -, and a plain domain.
    private static bool IsAddrSpec(string text, int start, int length)
    {
        var at = text.IndexOf('@', start, length);
        return at > start
            && IsDotted(text, start, at, static c => IsLetterOrDigit(c) || c is '_' or '+' or '-')
            && IsDomain(text, at + 1, start + length);
    }

    // Dot-separated labels of letters, digits and hyphens, with no hyphen at either end of a label.
    private static bool IsDomain(string text, int start, int end)
    {
        if (!IsDotted(text, start, end, static c => IsLetterOrDigit(c) || c == '-')) return false;
        for (var i = start; i < end; i++)
        {
            if (text[i] == '-' && (i == start || i == end - 1 || text[i - 1] == '.' || text[i + 1] == '.'))
                return false;
        }

        return true;
    }

    // Runs of allowed characters, one dot between runs, none at either end.
    private static bool IsDotted(string text, int start, int end, Func<char, bool> allowed)
    {
        if (start >= end || text[start] == '.' || text[end - 1] == '.') return false;
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (c == '.' ? text[i - 1] == '.' : !allowed(c)) return false;
        }

        return true;
    }

    private static bool IsLetterOrDigit(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9';
}
