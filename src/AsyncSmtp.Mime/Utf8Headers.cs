namespace AsyncSmtp.Mime;

/// <summary>
/// Decides whether the transmitted headers carry UTF-8 addresses, which only SMTPUTF8 allows (RFC 6531/6532).
/// </summary>
internal static class Utf8Headers
{
    // Bcc and Resent-Bcc are hidden on the wire, so they are not listed.
    private static readonly HeaderId[] _transmittedAddressHeaders =
    {
        HeaderId.From, HeaderId.Sender, HeaderId.ReplyTo, HeaderId.To, HeaderId.Cc,
        HeaderId.ResentFrom, HeaderId.ResentSender, HeaderId.ResentReplyTo, HeaderId.ResentTo, HeaderId.ResentCc,
    };

    /// <summary>
    /// True when a transmitted address header holds raw 8-bit bytes. MimeKit encodes display names (RFC 2047) and
    /// IDN domains (punycode) of the addresses it formats, so in a built message that happens only for a UTF-8
    /// local part; in a loaded message, for whatever the file holds as raw UTF-8.
    /// </summary>
    public static bool AreRequired(HeaderList headers)
    {
        foreach (var header in headers)
        {
            if (Array.IndexOf(_transmittedAddressHeaders, header.Id) < 0) continue;
            foreach (var b in header.RawValue)
            {
                if (b >= 0x80) return true;
            }
        }

        return false;
    }
}
