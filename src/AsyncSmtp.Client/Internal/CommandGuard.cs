namespace AsyncSmtp.Client.Internal;

/// <summary>Security rule 1: no C0 control character or DEL in anything that goes into a command line.</summary>
internal static class CommandGuard
{
    public static void RequireSafe(string value, string argumentName)
    {
        if (value is null) throw new SmtpArgumentException($"{argumentName} must not be null.", argumentName);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c < 0x20 || c == 0x7f)
                throw new SmtpArgumentException(
                    $"{argumentName} contains a control character (0x{(int)c:X2}) at position {i}; nothing was sent.",
                    argumentName);
        }
    }

    /// <summary>
    /// An address goes between angle brackets: it may not carry brackets or control characters of its own.
    /// </summary>
    public static void RequireAddress(string address, string argumentName)
    {
        RequireSafe(address, argumentName);
        if (address.IndexOf('<') >= 0 || address.IndexOf('>') >= 0)
            throw new SmtpArgumentException(
                $"{argumentName} '{address}' must be a bare address without angle brackets.", argumentName);
    }

    public static bool IsAscii(string value)
    {
        foreach (char c in value) if (c > 0x7f) return false;
        return true;
    }
}
