namespace AsyncSmtp.Mime;

/// <summary>
/// Formats addresses for people (PowerShell output, ToString): "Alice &lt;alice@example.com&gt;" rather than MimeKit's
/// always-quoted wire form, yet still parseable back by the address parameters: a name is quoted only when it
/// holds a character that would otherwise change its meaning (comma, angle bracket, parenthesis, quote, ...).
/// </summary>
internal static class AddressDisplay
{
    private const string SafeSymbols = "!#$%&'*+-/=?^_`{|}~. ";

    public static string[] Format(InternetAddressList list) => list.Select(Format).ToArray();

    public static string Format(InternetAddress address) => address switch
    {
        MailboxAddress mailbox when string.IsNullOrEmpty(mailbox.Name) => mailbox.Address,
        MailboxAddress mailbox => $"{Phrase(mailbox.Name)} <{mailbox.Address}>",
        GroupAddress group => $"{Phrase(group.Name)}: {string.Join(", ", group.Members.Select(Format))};",
        _ => address.ToString(),
    };

    private static string Phrase(string? name)
    {
        if (name is null) return string.Empty;
        var safe = name.All(c => char.IsLetterOrDigit(c) || c > 0x7F || SafeSymbols.IndexOf(c) >= 0);
        return safe ? name : "\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }
}
