using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// What EHLO/HELO may carry (RFC 5321 4.1.1.1): a domain name or an address literal, nothing else. A space would
/// smuggle a second argument ("me VRFY"), blanks or an invalid IDN make a name the server must reject.
/// </summary>
internal static class EhloName
{
    private static readonly Regex _ipv4 = new(@"^\d{1,3}(\.\d{1,3}){3}$", RegexOptions.CultureInvariant);
    private static readonly IdnMapping _idn = new() { UseStd3AsciiRules = true };

    /// <exception cref="SmtpArgumentException">The name is neither a domain name nor an address literal.</exception>
    public static void Require(string name, string argumentName)
    {
        if (!IsAddressLiteral(name) && Problem(name) is { } problem)
            throw new SmtpArgumentException($"'{name}' cannot be sent in EHLO: {problem}.", argumentName);
    }

    /// <summary>A domain name of ASCII labels (A-labels for IDNs, which must decode).</summary>
    public static bool IsDomain(string name) => Problem(name) is null;

    private static bool IsAddressLiteral(string name)
    {
        if (name.Length < 3 || name[0] != '[' || name[name.Length - 1] != ']') return false;
        string inner = name.Substring(1, name.Length - 2);
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.TryParse(inner.Substring(5), out var v6)
                && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }
        return _ipv4.IsMatch(inner) && IPAddress.TryParse(inner, out _);
    }

    private static string? Problem(string name)
    {
        if (name.Trim().Length == 0) return "it is blank";
        if (name.Length > 255) return "a domain name has at most 255 characters";
        foreach (string label in name.Split('.'))
        {
            if (label.Length == 0) return "a domain name has no empty label";
            if (label.Length > 63) return $"the label '{label}' is longer than 63 characters";
            foreach (char c in label)
            {
                if (c > 0x7F) return $"give the ASCII form of an international name ({AsciiForm(name)})";
                if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-'))
                    return $"'{c}' is not allowed in a domain name (letters, digits and hyphens)";
            }
            if (label[0] == '-' || label[label.Length - 1] == '-')
                return $"the label '{label}' starts or ends with a hyphen";
            if (label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase) && !IsValidALabel(label))
                return $"'{label}' is not a valid internationalised (xn--) label";
        }
        return null;
    }

    private static bool IsValidALabel(string label)
    {
        try
        {
            return string.Equals(_idn.GetAscii(_idn.GetUnicode(label)), label, StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string AsciiForm(string name)
    {
        try
        {
            return _idn.GetAscii(name);
        }
        catch (ArgumentException)
        {
            return "it has none: the name is not valid";
        }
    }
}
