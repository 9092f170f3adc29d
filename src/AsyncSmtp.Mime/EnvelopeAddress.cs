namespace AsyncSmtp.Mime;

/// <summary>
/// Reads the envelope addresses a user gives (-Sender, -Recipient) for every content form alike: each is one
/// bare address or one "Name &lt;address&gt;" (only the address is used). A list, a group, text that is not an
/// address, anything after the address, or any control character is an <see cref="SmtpArgumentException"/>
/// before anything is sent: a value is never rewritten into another address, nor into a second command.
/// </summary>
public static class EnvelopeAddress
{
    /// <summary>The address for MAIL FROM; "" or "&lt;&gt;" is the null reverse path (bounces).</summary>
    public static string Sender(string value)
    {
        if (value is null) throw new ArgumentNullException(nameof(value));
        Addresses.RequireNoControlCharacter(value, "Sender");
        var trimmed = value.Trim();
        if (trimmed.Length == 0 || trimmed == "<>") return string.Empty;
        return Addresses.ToEnvelopeAddress(Addresses.ParseMailbox(trimmed, "Sender"), "Sender");
    }

    /// <summary>The address for one RCPT TO.</summary>
    public static string Recipient(string value)
    {
        if (value is null) throw new ArgumentNullException(nameof(value));
        return Addresses.ToEnvelopeAddress(Addresses.ParseMailbox(value, "Recipient"), "Recipient");
    }
}
