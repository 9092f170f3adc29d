using System.Text;

namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>
/// RFC 4013 SASLprep, which SCRAM applies to user names and passwords: non-ASCII spaces become a
/// space, invisible characters go, the result is NFKC, and control, private-use and non-character
/// code points are refused. The bidirectional-text rule (section 6 of RFC 3454) is not checked.
/// </summary>
internal static class SaslPrep
{
    /// <summary>The prepared string; throws <see cref="SaslLocalFailure"/> for a prohibited character.</summary>
    public static string Prepare(string value)
    {
        if (IsPrintableAscii(value)) return value;
        var mapped = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (IsNonAsciiSpace(c)) mapped.Append(' ');
            else if (!IsMappedToNothing(c)) mapped.Append(c);
        }
        string normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);
        for (int i = 0; i < normalized.Length; i++)
        {
            char c = normalized[i];
            bool pairedSurrogate = char.IsHighSurrogate(c) && i + 1 < normalized.Length
                && char.IsLowSurrogate(normalized[i + 1]);
            if (pairedSurrogate)
            {
                int codePoint = char.ConvertToUtf32(c, normalized[++i]);
                if (IsProhibitedSupplementary(codePoint)) throw Prohibited();
            }
            else if (char.IsSurrogate(c) || IsProhibited(c))
            {
                throw Prohibited();
            }
        }
        return normalized;
    }

    private static SaslLocalFailure Prohibited() =>
        new("The user name or password holds a character SASLprep prohibits "
            + "(a control, private-use or non-character).");

    private static bool IsPrintableAscii(string value)
    {
        foreach (char c in value)
            if (c < 0x20 || c > 0x7e) return false;
        return true;
    }

    // RFC 3454 table C.1.2.
    private static bool IsNonAsciiSpace(char c) =>
        c is '\u00a0' or '\u1680' or >= '\u2000' and <= '\u200b' or '\u202f' or '\u205f' or '\u3000';

    // RFC 3454 table B.1.
    private static bool IsMappedToNothing(char c) =>
        c is '\u00ad' or '\u034f' or '\u1806' or >= '\u180b' and <= '\u180d' or >= '\u200c' and <= '\u200d'
            or '\u2060' or >= '\ufe00' and <= '\ufe0f' or '\ufeff';

    // RFC 3454 tables C.2 to C.9 (BMP part); spaces were mapped above.
    private static bool IsProhibited(char c) =>
        c < 0x20 || c is >= '\u007f' and <= '\u009f' or '\u06dd' or '\u070f' or '\u180e' or >= '\u200e' and <= '\u200f'
            or >= '\u2028' and <= '\u202e' or >= '\u2060' and <= '\u2063' or >= '\u206a' and <= '\u206f'
            or >= '\u2ff0' and <= '\u2ffb' or >= '\ue000' and <= '\uf8ff' or >= '\ufdd0' and <= '\ufdef'
            or >= '\ufff9' and <= '\uffff';

    private static bool IsProhibitedSupplementary(int codePoint) =>
        (codePoint & 0xfffe) == 0xfffe || codePoint is >= 0x1d173 and <= 0x1d17a or 0xe0001 or >= 0xe0020 and <= 0xe007f
            || codePoint >= 0xf0000;
}
