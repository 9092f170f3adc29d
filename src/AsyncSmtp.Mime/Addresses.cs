namespace AsyncSmtp.Mime;

/// <summary>Turns typed addresses into MimeKit addresses and MimeKit mailboxes into envelope addresses.</summary>
internal static class Addresses
{
    /// <summary>
    /// Parses strings that are each one address or a comma list; <paramref name="what"/> names the source in errors.
    /// </summary>
    public static InternetAddressList ParseList(IEnumerable<string>? values, string what)
    {
        var result = new InternetAddressList();
        if (values is null) return result;
        foreach (var value in values)
        {
            if (value is not null && SimpleAddress.TryParse(value) is { } simple)
            {
                result.Add(simple);
                continue;
            }

            var parsed = ParseOne(value, what);
            foreach (var mailbox in parsed.Mailboxes) ToEnvelopeAddress(mailbox, what);
            result.AddRange(parsed);
        }

        return result;
    }

    /// <summary>Parses exactly one mailbox (not a group, not a list).</summary>
    public static MailboxAddress ParseMailbox(string? value, string what)
    {
        if (value is not null && SimpleAddress.TryParse(value) is { } simple) return simple;
        var parsed = ParseOne(value, what);
        if (parsed.Count != 1 || parsed[0] is not MailboxAddress mailbox)
            throw new SmtpArgumentException($"{what} must be exactly one mailbox, not '{value}'.", what);
        ToEnvelopeAddress(mailbox, what);
        return mailbox;
    }

    /// <summary>
    /// The bare addr-spec for MAIL FROM / RCPT TO. An ASCII local part gets an ASCII (punycode) domain so that
    /// SMTPUTF8 is not needed; a UTF-8 local part needs SMTPUTF8 anyway, so the domain stays UTF-8 as well.
    /// </summary>
    public static string ToEnvelopeAddress(MailboxAddress mailbox, string what)
    {
        // Read from Address: MimeKit cuts LocalPart and Domain out of it as new strings at every call, and this runs
        // for every message sent. A domain never holds an '@'.
        var address = mailbox.Address;
        var at = address.LastIndexOf('@');
        if (at < 0 || at == address.Length - 1)
            throw new SmtpArgumentException($"Invalid address in {what}: '{address}' has no domain.", what);
        try
        {
            return mailbox.GetAddress(idnEncode: AsciiText.IsAscii(address, 0, at));
        }
        catch (ArgumentException)
        {
            throw new SmtpArgumentException(
                $"Invalid address in {what}: '{address}' has an invalid international domain.", what);
        }
    }

    /// <summary>
    /// Security rule 1: an address never carries a control character (a line break would start a command).
    /// </summary>
    public static void RequireNoControlCharacter(string text, string what)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] < 0x20 || text[i] == 0x7F)
                throw new SmtpArgumentException(
                    $"Invalid address in {what}: '{text}' contains a control character (0x{(int)text[i]:X2}) at " +
                        $"position {i}.", what);
        }
    }

    private static InternetAddressList ParseOne(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new SmtpArgumentException($"An empty address was given in {what}.", what);
        RequireNoControlCharacter(value!, what);
        if (!InternetAddressList.TryParse(MimeOptions.StrictAddresses, value, out var parsed))
            throw new SmtpArgumentException($"Invalid address in {what}: '{value}'.", what);
        return parsed;
    }
}
