namespace AsyncSmtp.Mime;

/// <summary>
/// The MimeKit option sets, built once: FormatOptions and ParserOptions are mutable classes, and building them
/// per message would cost an allocation and a HashSet copy on every send.
/// </summary>
internal static class MimeOptions
{
    /// <summary>For addresses typed by users: no address without a domain, no trailing garbage.</summary>
    public static readonly ParserOptions StrictAddresses = CreateStrictAddresses();

    /// <summary>
    /// For messages read from files or bytes: MimeKit's tolerant defaults, as mail in the wild needs.
    /// </summary>
    public static readonly ParserOptions Lenient = ParserOptions.Default.Clone();

    private static readonly FormatOptions _transmit = CreateFormat(hideBcc: true, international: false);
    private static readonly FormatOptions _transmitInternational = CreateFormat(hideBcc: true, international: true);
    private static readonly FormatOptions _save = CreateFormat(hideBcc: false, international: false);
    private static readonly FormatOptions _saveInternational = CreateFormat(hideBcc: false, international: true);

    /// <summary>What goes on the wire: CRLF, Bcc and Resent-Bcc hidden.</summary>
    public static FormatOptions Transmit(bool international) => international ? _transmitInternational : _transmit;

    /// <summary>What an .eml file holds: CRLF, every header kept.</summary>
    public static FormatOptions Save(bool international) => international ? _saveInternational : _save;

    private static ParserOptions CreateStrictAddresses()
    {
        var options = ParserOptions.Default.Clone();
        options.AddressParserComplianceMode = RfcComplianceMode.Strict;
        options.AllowAddressesWithoutDomain = false;
        return options;
    }

    private static FormatOptions CreateFormat(bool hideBcc, bool international)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        options.EnsureNewLine = true;
        options.International = international;
        if (hideBcc)
        {
            options.HiddenHeaders.Add(HeaderId.Bcc);
            options.HiddenHeaders.Add(HeaderId.ResentBcc);
        }

        return options;
    }
}
