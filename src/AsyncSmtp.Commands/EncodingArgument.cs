using System.Globalization;
using System.Text;

namespace AsyncSmtp.Commands;

/// <summary>
/// Lets -Encoding take what Send-MailMessage and the file cmdlets take: an Encoding object, PowerShell's encoding
/// names (utf8, ascii, unicode, ...), a .NET charset name (iso-8859-1, windows-1252) or a code page number.
/// </summary>
public sealed class EncodingArgumentAttribute : ArgumentTransformationAttribute
{
    // PowerShell's own names, as Set-Content and Send-MailMessage understand them. For a mail body the byte order
    // mark variants mean the same charset: a MIME part never carries a BOM.
    internal static readonly (string Name, Func<Encoding> Create, string Description)[] KnownNames =
    {
        ("utf8", () => new UTF8Encoding(false), "UTF-8 (the default)"),
        ("utf8BOM", () => new UTF8Encoding(false), "UTF-8"),
        ("utf8NoBOM", () => new UTF8Encoding(false), "UTF-8"),
        ("ascii", () => Encoding.ASCII, "US-ASCII (7-bit)"),
        ("unicode", () => Encoding.Unicode, "UTF-16 little-endian"),
        ("bigendianunicode", () => Encoding.BigEndianUnicode, "UTF-16 big-endian"),
        ("utf32", () => Encoding.UTF32, "UTF-32 little-endian"),
        ("bigendianutf32", () => new UTF32Encoding(bigEndian: true, byteOrderMark: false), "UTF-32 big-endian"),
        ("latin1", () => Encoding.GetEncoding("iso-8859-1"), "ISO-8859-1 (Western European)"),
        ("ansi", () => Encoding.GetEncoding(CultureInfo.CurrentCulture.TextInfo.ANSICodePage),
            "the system's ANSI code page"),
        ("oem", () => Encoding.GetEncoding(CultureInfo.CurrentCulture.TextInfo.OEMCodePage),
            "the system's OEM code page"),
        ("default", () => new UTF8Encoding(false), "UTF-8"),
    };

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case null:
            case Encoding:
                return value;
            case int codePage:
                return FromCodePage(codePage);
            case string name:
                foreach (var known in KnownNames)
                    if (string.Equals(known.Name, name, StringComparison.OrdinalIgnoreCase)) return known.Create();
                return int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int number)
                    ? FromCodePage(number)
                    : FromName(name);
            default:
                throw new ArgumentTransformationMetadataException(
                    "-Encoding takes an encoding name (utf8, ascii, iso-8859-1, ...), a code page number or a " +
                    $"System.Text.Encoding, not a {value.GetType().Name}.");
        }
    }

    private static Encoding FromCodePage(int codePage)
    {
        try
        {
            return Encoding.GetEncoding(codePage);
        }
        catch (Exception unknown) when (unknown is ArgumentException or NotSupportedException)
        {
            throw new ArgumentTransformationMetadataException(
                $"{codePage} is not a code page this system knows.", unknown);
        }
    }

    private static Encoding FromName(string name)
    {
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException unknown)
        {
            throw new ArgumentTransformationMetadataException(
                $"'{name}' is not an encoding: use one of {string.Join(", ", KnownNames.Select(k => k.Name))}, " +
                "or a charset name such as iso-8859-1.",
                unknown);
        }
    }
}
